// The host stand-in for the machine under the memory-management code: "physical memory"
// is an arena in the test process, frames come from a BuddyAllocator over it (the same
// algorithm as the kernel's), and TLB invalidations are recorded instead of executed.
//
// Use one HostMachine per test (it resets everything):
//   HostMachine m(/*frames=*/1024);
//   ... PageTable::create(), map, unmap ...
//   CHECK(m.invalidations() == std::vector<Invalidation>{{root, va}});
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include <keos/addressing.hpp>

namespace keos::host {

struct Invalidation {
  Pa root;           // the page table's root
  std::uint64_t va;  // the page, or kAll for a whole-table flush
  static constexpr std::uint64_t kAll = ~0ull;
  bool operator==(const Invalidation&) const = default;
};

class HostMachine {
 public:
  /// `frames` frames of 4 KiB, of which the first few hold the allocator's bookkeeping
  /// and a fake kernel half for new page tables.
  explicit HostMachine(std::size_t frames);
  ~HostMachine();
  HostMachine(const HostMachine&) = delete;
  HostMachine& operator=(const HostMachine&) = delete;

  std::size_t free_frames() const;
  const std::vector<Invalidation>& invalidations() const;
  void clear_invalidations();
  /// Makes the next `n` frame allocations succeed and the ones after fail (n < 0: never).
  void fail_allocations_after(long n);

 private:
  std::unique_ptr<unsigned char[]> arena_;
};

}  // namespace keos::host
