#include <keos/bench.hpp>

#include <abyss/cmdline.hpp>
#include <abyss/console.hpp>
#include <abyss/cpu.hpp>
#include <abyss/power.hpp>
#include <keos/test.hpp>

extern "C" const keos::bench::Bench* const __keos_benches_start[];
extern "C" const keos::bench::Bench* const __keos_benches_end[];

namespace keos::bench {
namespace {

bool g_smoke = false;

}  // namespace

bool smoke() { return g_smoke; }
std::size_t repetitions() { return g_smoke ? 3 : 31; }
std::uint64_t now() { return abyss::cpu::rdtsc(); }

std::uint64_t Samples::percentile(unsigned q) {
  if (count_ == 0) return 0;
  for (std::size_t i = 1; i < count_; ++i) {  // insertion sort: at most kMax values
    std::uint64_t v = values_[i];
    std::size_t j = i;
    for (; j > 0 && values_[j - 1] > v; --j) values_[j] = values_[j - 1];
    values_[j] = v;
  }
  return values_[(count_ - 1) * q / 100];
}

void metric(const char* name, Samples& samples, const char* unit) {
  std::uint64_t median = samples.percentile(50);
  abyss::console::line("METRIC %s %lu %s p10=%lu p90=%lu n=%lu", name, median, unit,
                       samples.percentile(10), samples.percentile(90), samples.count());
}

void metric_value(const char* name, std::uint64_t value, const char* unit) {
  abyss::console::line("METRIC %s %lu %s", name, value, unit);
}

void run_from_cmdline(const char* cmdline) {
  static char selection[256];
  abyss::cmdline_value(cmdline, "bench", selection, sizeof selection);
  char size[16] = {};
  g_smoke = abyss::cmdline_value(cmdline, "bench.size", size, sizeof size) &&
            size[0] == 's';
  unsigned ran = 0;
  for (const Bench* const* b = __keos_benches_start; b != __keos_benches_end; ++b) {
    bool chosen = false;
    // The selection is a comma-separated list of globs.
    for (char* glob = selection; *glob != '\0' && !chosen;) {
      char* end = glob;
      while (*end != '\0' && *end != ',') ++end;
      char saved = *end;
      *end = '\0';
      chosen = test::glob_match(glob, (*b)->name);
      *end = saved;
      glob = saved == '\0' ? end : end + 1;
    }
    if (!chosen) continue;
    abyss::console::line("@@ bench start %s", (*b)->name);
    (*b)->body();
    abyss::console::line("@@ bench end %s", (*b)->name);
    ++ran;
  }
  abyss::console::line("@@ summary benches=%u", ran);
  abyss::power_off(abyss::ExitCode::kSuccess);
}

}  // namespace keos::bench
