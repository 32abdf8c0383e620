// Out-of-memory fault injection, for tests: makes the N-th frame allocation or the N-th
// heap allocation from now on fail, as if memory had run out at exactly that point.
//
// A test arms one site, runs an operation and looks whether the failure fired; sweeping N
// from 1 until it no longer fires visits every allocation the operation makes. While a
// site is armed it also counts its allocations. Off (the normal state) it costs one
// relaxed atomic load per allocation. The allocators ask should_fail() before allocating;
// every CPU's allocations count, so tests arm it only while nothing else runs.
#pragma once

#include <atomic>
#include <cstdint>

namespace keos::mm::fault_inject {

enum class Site { kFrame, kHeap };
/// The number of sites.
inline constexpr int kSiteCount = 2;

/// Counts from zero again; the `n`-th allocation at `site` from now fails (n >= 1). With
/// n == kCountOnly nothing fails, the allocations are only counted.
inline constexpr std::uint64_t kCountOnly = ~0ull;
void arm(Site site, std::uint64_t n);
/// Stops failing and counting at `site`.
void disarm(Site site);
/// Allocations at `site` since it was armed.
std::uint64_t count(Site site);
/// True if the armed failure happened since arm().
bool fired(Site site);

namespace detail {
extern std::atomic<bool> g_armed[kSiteCount];  // per Site: arm() was called, disarm() was not
bool armed_should_fail(Site site);
}  // namespace detail

/// For the allocators: counts this allocation; true if it must fail. Inline, so that the
/// disarmed case is one load and a branch in the allocator itself.
inline bool should_fail(Site site) {
  return detail::g_armed[static_cast<int>(site)].load(std::memory_order_relaxed) &&
         detail::armed_should_fail(site);
}

}  // namespace keos::mm::fault_inject
