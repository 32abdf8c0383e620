// Benchmarks that run user programs (bench/user/bench_*.c); the programs time
// themselves with rdtsc and print their METRIC lines on standard output, which reaches
// the console as `@@ out` lines.
#include <abyss/console.hpp>
#include <abyss/format.hpp>
#include <keos/bench.hpp>
#include <keos/process/process.hpp>

#include <ktest/user_test.hpp>

#include "eager_fork.hpp"

namespace {

// Runs `program` with up to three arguments; reports a failure on the console.
void run(const char* program, const char* a, const char* b = nullptr, const char* c = nullptr) {
  ktest::UserRun result;
  ktest::run_user_program(ktest::UserTestSpec{.program = program, .args = {program, a, b, c}},
                           result);
  if (!result.started || result.exit_code != 0 || !result.forked_ended) {
    abyss::console::line("@@ bench error %s %s: exit %d", program, a, result.exit_code);
  }
}

}  // namespace

// fork at 0, 64 and 256 MiB touched (1 and 4 in a smoke run), and the eager fork at 64.
KEOS_BENCH(fork) {
  const bool smoke = keos::bench::smoke();
  char reps[8];
  abyss::format(reps, sizeof reps, "%lu", keos::bench::repetitions());
  run("bench_fork", "cow", "0", reps);
  run("bench_fork", "cow", smoke ? "1" : "64", reps);
  run("bench_fork", "cow", smoke ? "4" : "256", reps);
  keos::set_fork_hook(bench::copy_eagerly);
  run("bench_fork", "eager", smoke ? "1" : "64", reps);
  keos::set_fork_hook(nullptr);
}

// Demand-zero, copy-on-write and sole-owner faults, one sample per page.
KEOS_BENCH(faults) { run("bench_fault", keos::bench::smoke() ? "8" : "256"); }
