#include <keos/mm/fault_inject.hpp>

#include <atomic>

namespace keos::mm::fault_inject {
namespace {

struct State {
  std::atomic<std::uint64_t> fail_at{0};
  std::atomic<std::uint64_t> count{0};
  std::atomic<bool> fired{false};
};

State g_sites[kSiteCount];

State& at(Site site) { return g_sites[static_cast<int>(site)]; }
std::atomic<bool>& armed(Site site) { return detail::g_armed[static_cast<int>(site)]; }

}  // namespace

std::atomic<bool> detail::g_armed[kSiteCount];

void arm(Site site, std::uint64_t n) {
  State& s = at(site);
  armed(site).store(false);
  s.count.store(0);
  s.fired.store(false);
  s.fail_at.store(n);
  armed(site).store(true, std::memory_order_release);
}

void disarm(Site site) { armed(site).store(false, std::memory_order_release); }

std::uint64_t count(Site site) { return at(site).count.load(); }

bool fired(Site site) { return at(site).fired.load(); }

bool detail::armed_should_fail(Site site) {
  State& s = at(site);
  // Exactly one allocation, the n-th, sees its number equal to fail_at.
  std::uint64_t n = s.count.fetch_add(1, std::memory_order_acq_rel) + 1;
  if (n != s.fail_at.load(std::memory_order_relaxed)) return false;
  s.fired.store(true);
  return true;
}

}  // namespace keos::mm::fault_inject
