// The local-APIC timer ticks on every CPU, at roughly the calibrated rate.
#include <abyss/percpu.hpp>
#include <abyss/spinlock.hpp>
#include <abyss/time.hpp>
#include <keos/test.hpp>

KEOS_TEST(timer_ticks_every_cpu) {
  constexpr std::uint64_t kTicks = 5;
  std::uint32_t n = abyss::cpu_count();
  std::uint64_t start_ticks[abyss::kMaxCpus];
  for (std::uint32_t k = 0; k < n; ++k) start_ticks[k] = abyss::cpu_record(k).timer_ticks.load();
  std::uint64_t start = abyss::time::now_ns();
  std::uint64_t deadline = start + 3'000'000'000ull;
  for (std::uint32_t k = 0; k < n; ++k) {
    while (abyss::cpu_record(k).timer_ticks.load() < start_ticks[k] + kTicks) {
      if (abyss::time::now_ns() > deadline) {
        keos::test::fail(__FILE__, __LINE__, "cpu %u ticked %lu times in 3 s", k,
                         abyss::cpu_record(k).timer_ticks.load() - start_ticks[k]);
        return;
      }
      abyss::cpu_relax();
    }
  }
  // kTicks periods cannot pass in well under kTicks periods of time: a timer programmed
  // several times too fast (a calibration error) fails here. Slowness is not checked: a
  // busy host may delay the emulated CPUs.
  std::uint64_t elapsed_ms = (abyss::time::now_ns() - start) / 1'000'000;
  std::uint64_t period_ms = 1000 / abyss::time::kTimerHz;
  KEOS_ASSERT(elapsed_ms * 2 >= (kTicks - 1) * period_ms);
}
