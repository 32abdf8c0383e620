/// \file
/// In-kernel benchmarks (`make bench`). Not tests: a benchmark measures, and the host
/// (bench/bench.py) turns its numbers into ratios and judges the goals.
///
/// A benchmark is registered with KEOS_BENCH(name) { ... } into the .keos_benches section.
/// The kernel command line `bench=GLOB[,GLOB]` runs the matching ones (and no test);
/// `bench.size=smoke` asks for tiny sizes and few repetitions, to check that the suite
/// still runs (`make test` does that). Console protocol, one line each:
///   @@ bench start NAME
///   METRIC NAME VALUE UNIT p10=P p90=Q n=N      (from metric(); user programs print the
///                                                same lines on their standard output)
///   @@ bench end NAME
///   @@ summary benches=N
#pragma once

#include <cstddef>
#include <cstdint>

namespace keos::bench {

/// One registered benchmark (KEOS_BENCH).
struct Bench {
  const char* name;  ///< its name, matched by `bench=GLOB`
  void (*body)();    ///< measures and prints METRIC lines
};

/// True when the command line asked for the smoke-test sizes.
bool smoke();
/// Repetitions of every measurement: at least 31 (3 in a smoke run).
std::size_t repetitions();

/// Timestamp for an interval: `lfence; rdtsc; lfence` (TSC cycles; instructions under
/// QEMU's -icount).
std::uint64_t now();

/// Collected measurements of one quantity. add() keeps up to kMax values.
class Samples {
 public:
  static constexpr std::size_t kMax = 256;  ///< values kept at most
  /// Records one measurement (ignored beyond kMax).
  void add(std::uint64_t value) {
    if (count_ < kMax) values_[count_++] = value;
  }
  /// How many measurements were recorded.
  std::size_t count() const { return count_; }
  /// The q-th percentile (0..100) of the values (sorts them); 0 if there are none.
  std::uint64_t percentile(unsigned q);

 private:
  std::uint64_t values_[kMax];
  std::size_t count_ = 0;
};

/// Prints the METRIC line of `samples`: median, p10 and p90, in `unit`.
void metric(const char* name, Samples& samples, const char* unit);
/// Prints a METRIC line of a single value (a count, say).
void metric_value(const char* name, std::uint64_t value, const char* unit);

/// Runs the benchmarks the command line selects and powers off. Never returns.
[[noreturn]] void run_from_cmdline(const char* cmdline);

}  // namespace keos::bench

/// Defines a benchmark: `KEOS_BENCH(cow_fault) { ... }`.
#define KEOS_BENCH(name)                                                                         \
  static void kbench_##name();                                                                   \
  static constexpr ::keos::bench::Bench kbench_case_##name{#name, &kbench_##name};               \
  [[gnu::used, gnu::section(".keos_benches")]] static const ::keos::bench::Bench* const          \
      kbench_entry_##name = &kbench_case_##name;                                                 \
  static void kbench_##name()
