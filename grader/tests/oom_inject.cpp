// Out-of-memory fault injection (keos/mm/fault_inject.hpp): each sweep runs a small user
// program (userland/tests/oom_probe.c) once per allocation it makes, with exactly that
// allocation failing -- every frame allocation in the frame sweeps, every heap allocation
// in the heap sweeps -- from loading its ELF file to its last system call. For every
// point it requires: no panic, a clean outcome (the program could not start, a system
// call failed, or the process was ended with -1), every frame back, and a normal run
// right afterwards that succeeds (the failure left nothing broken behind).
#include <abyss/console.hpp>
#include <keos/mm/fault_inject.hpp>
#include <keos/mm/frame_alloc.hpp>
#include <keos/test.hpp>

#include "support/user_test.hpp"

namespace {

namespace fi = keos::mm::fault_inject;
using grader::UserRun;
using grader::UserTestSpec;

constexpr std::uint64_t kMaxPoints = 4000;
constexpr int kOk = 0, kSyscallFailed = 12, kKilled = -1;

// One run with the `n`-th allocation at `site` failing. Returns false (after recording a
// failure) if the outcome is not clean; sets `fired` if the failure happened.
bool run_point(const char* mode, fi::Site site, std::uint64_t n, bool& fired) {
  const char* site_name = site == fi::Site::kFrame ? "frame" : "heap";
  UserTestSpec spec{.program = "oom_probe", .args = {"oom_probe", mode}};
  UserRun run;
  std::size_t before = keos::mm::free_frame_count();
  fi::arm(site, n);
  run_user_program(spec, run);
  fired = fi::fired(site);
  fi::disarm(site);
  std::size_t after = keos::mm::free_frame_count();
  if (!run.forked_ended) {
    keos::test::fail(__FILE__, __LINE__, "%s: %s allocation %lu failing: processes hung", mode,
                     site_name, n);
    return false;
  }
  if (after != before) {
    keos::test::fail(__FILE__, __LINE__, "%s: %s allocation %lu failing: %ld frames leaked",
                     mode, site_name, n, static_cast<long>(before) - static_cast<long>(after));
    return false;
  }
  bool clean = !run.started || run.exit_code == kOk || run.exit_code == kSyscallFailed ||
               run.exit_code == kKilled;
  if (!clean || (!fired && (!run.started || run.exit_code != kOk))) {
    keos::test::fail(__FILE__, __LINE__, "%s: %s allocation %lu failing%s: %s exit %d: %s",
                     mode, site_name, n, fired ? "" : " (never reached)",
                     run.started ? "" : "not started,", run.exit_code, run.stdout_text);
    return false;
  }
  return true;
}

// Sweeps the failing allocation over every allocation of `oom_probe mode`; prints how many
// injection points it covered.
void sweep(const char* mode, fi::Site site) {
  for (std::uint64_t n = 1; n <= kMaxPoints; ++n) {
    bool fired = false;
    if (!run_point(mode, site, n, fired)) return;
    if (!fired) {
      abyss::log::info("%s sweep of oom_probe %s: %lu injection points",
                      site == fi::Site::kFrame ? "frame" : "heap", mode, n - 1);
      return;
    }
    // Other processes are unaffected: a normal run right after must work.
    UserRun again;
    run_user_program(UserTestSpec{.program = "oom_probe", .args = {"oom_probe", mode}}, again);
    if (!again.started || again.exit_code != kOk) {
      keos::test::fail(__FILE__, __LINE__, "%s: the run after allocation %lu failed: exit %d",
                       mode, n, again.exit_code);
      return;
    }
  }
  keos::test::fail(__FILE__, __LINE__, "%s: more than %lu allocations", mode, kMaxPoints);
}

}  // namespace

// ELF loading and process set-up (the program only exits).
KEOS_TEST(oom_inject_elf_frames) { sweep("exit", fi::Site::kFrame); }
KEOS_TEST(oom_inject_elf_heap) { sweep("exit", fi::Site::kHeap); }
// mmap and the first touch of its pages.
KEOS_TEST(oom_inject_mmap_frames) { sweep("mmap", fi::Site::kFrame); }
KEOS_TEST(oom_inject_mmap_heap) { sweep("mmap", fi::Site::kHeap); }
// Pipe creation.
KEOS_TEST(oom_inject_pipe_frames) { sweep("pipe", fi::Site::kFrame); }
KEOS_TEST(oom_inject_pipe_heap) { sweep("pipe", fi::Site::kHeap); }
// fork, and copy-on-write faults after it (need project 3).
KEOS_TEST(fork_oom_inject_frames) { sweep("fork", fi::Site::kFrame); }
KEOS_TEST(fork_oom_inject_heap) { sweep("fork", fi::Site::kHeap); }
KEOS_TEST(cow_oom_inject_frames) { sweep("cow", fi::Site::kFrame); }
KEOS_TEST(cow_oom_inject_heap) { sweep("cow", fi::Site::kHeap); }
