#include "host_machine.hpp"

#include <algorithm>
#include <new>

#include <abyss/boot.hpp>
#include <keos/mm/buddy.hpp>
#include <keos/mm/frame_alloc.hpp>
#include <keos/mm/tlb.hpp>
#include <keos/mm/page_table.hpp>

namespace keos::host {
namespace {

// Frame 0 is never handed out (Pa(0) means "no frame"); frame 1 is the fake boot PML4.
constexpr std::uint32_t kFirstFree = 2;

mm::BuddyAllocator* g_buddy = nullptr;
std::unique_ptr<mm::FrameInfo[]> g_infos;
std::vector<Invalidation> g_invalidations;
long g_allocations_left = -1;
Pa g_kernel_root;

}  // namespace

HostMachine::HostMachine(std::size_t frames)
    : arena_(new (std::align_val_t(kPageSize)) unsigned char[frames * kPageSize]()) {
  abyss::host_phys_base = reinterpret_cast<std::uintptr_t>(arena_.get());
  g_infos.reset(new mm::FrameInfo[frames]());
  g_buddy = new mm::BuddyAllocator;
  g_buddy->init(g_infos.get(), frames);
  g_buddy->add_free_range(kFirstFree, static_cast<std::uint32_t>(frames));
  mm::detail::g_frame_infos = g_infos.get();
  mm::detail::g_frame_count = frames;
  g_invalidations.clear();
  g_allocations_left = -1;
  // A recognisable kernel half: PML4 slots 256..511 of the fake boot table.
  g_kernel_root = Pa(kPageSize);
  auto* pml4 = phys_ptr<std::uint64_t>(g_kernel_root);
  for (int i = 256; i < 512; ++i) pml4[i] = 0xabc000 | (static_cast<std::uint64_t>(i) << 12) | 1;
}

HostMachine::~HostMachine() {
  delete g_buddy;
  g_buddy = nullptr;
  mm::detail::g_frame_infos = nullptr;
  mm::detail::g_frame_count = 0;
  g_infos.reset();
  ::operator delete[](arena_.release(), std::align_val_t(kPageSize));
  abyss::host_phys_base = 0;
}

std::size_t HostMachine::free_frames() const { return g_buddy->free_frames(); }
const std::vector<Invalidation>& HostMachine::invalidations() const { return g_invalidations; }
void HostMachine::clear_invalidations() { g_invalidations.clear(); }
void HostMachine::fail_allocations_after(long n) { g_allocations_left = n; }

}  // namespace keos::host

// The kernel interfaces the memory-management code calls, implemented over the arena.
namespace abyss {
Pa kernel_page_table_root() { return keos::host::g_kernel_root; }
}  // namespace abyss

namespace keos::mm {

Result<Pa> alloc_frames(unsigned order, FrameUsage usage, Fill fill) {
  using namespace keos::host;
  if (g_allocations_left == 0) return Err(KernelError::kNoMemory);
  if (g_allocations_left > 0) --g_allocations_left;
  std::uint32_t frame = g_buddy->allocate(order, usage);
  if (frame == BuddyAllocator::kNoFrame) return Err(KernelError::kNoMemory);
  Pa pa(static_cast<std::uint64_t>(frame) * kPageSize);
  // Uninitialized frames get a pattern, so that a caller relying on zeros shows up.
  std::fill_n(phys_ptr<unsigned char>(pa), kPageSize << order, fill == Fill::kZero ? 0 : 0xa5);
  return pa;
}

void detail::free_block(Pa pa) {
  host::g_buddy->free(static_cast<std::uint32_t>(pa.value() / kPageSize));
}

std::size_t free_frame_count() { return host::g_buddy->free_frames(); }
std::size_t managed_frame_count() { return host::g_buddy->managed_frames(); }

FrameInfo* detail::g_frame_infos = nullptr;
std::size_t detail::g_frame_count = 0;

}  // namespace keos::mm

namespace keos::tlb {

void invalidate_page(const PageTable& table, Va va) {
  host::g_invalidations.push_back({table.root(), va.value()});
}
void invalidate_range(const PageTable& table, Va va, std::uint64_t pages) {
  for (std::uint64_t i = 0; i < pages; ++i) {
    host::g_invalidations.push_back({table.root(), va.value() + i * kPageSize});
  }
}
void invalidate_all(const PageTable& table) {
  host::g_invalidations.push_back({table.root(), host::Invalidation::kAll});
}
void init() {}
Stats stats(std::uint32_t) { return {}; }

}  // namespace keos::tlb
