// A test MmLoader that loads nothing and counts the live instances, so a test can check
// that every loader a VMA set or pager took over is deleted exactly once.
#pragma once

#include <keos/process/vma.hpp>

namespace keos::host {

struct CountingLoader : MmLoader {
  static inline int alive = 0;  // instances not yet deleted (tests reset it first)
  CountingLoader() { ++alive; }
  ~CountingLoader() override { --alive; }
  Result<void> load(Page&, std::uint64_t) override { return Ok(); }
  Result<Box<MmLoader>> clone() const override {
    return Box<MmLoader>(TRY(Box<CountingLoader>::create()));
  }
};

/// A new CountingLoader, owned.
inline Box<MmLoader> counting_loader() { return Box<MmLoader>(Box<CountingLoader>::create().take()); }

}  // namespace keos::host
