#include <ktest/oom_sweep.hpp>

#include <abyss/console.hpp>
#include <keos/mm/frame_alloc.hpp>
#include <keos/test.hpp>
#include <ktest/user_test.hpp>

namespace ktest {
namespace {

namespace fi = keos::mm::fault_inject;

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
  if (keos::test::todo_reached()) return false;  // the verdict is made: not implemented
  std::size_t after = keos::mm::free_frame_count();
  if (!run.forked_ended) {
    keos::test::fail(__FILE__, __LINE__, "%s: %s allocation %lu failing: processes hung", mode,
                     site_name, n);
    return false;
  }
  if (after != before) {
    keos::test::fail(__FILE__, __LINE__, "%s: %s allocation %lu failing: %ld frames leaked", mode,
                     site_name, n, static_cast<long>(before) - static_cast<long>(after));
    return false;
  }
  bool clean = !run.started || run.exit_code == kOk || run.exit_code == kSyscallFailed ||
               run.exit_code == kKilled;
  if (!clean || (!fired && (!run.started || run.exit_code != kOk))) {
    keos::test::fail(__FILE__, __LINE__, "%s: %s allocation %lu failing%s: %s exit %d: %s", mode,
                     site_name, n, fired ? "" : " (never reached)",
                     run.started ? "" : "not started,", run.exit_code, run.stdout_text);
    return false;
  }
  return true;
}

}  // namespace

void oom_sweep(const char* mode, fi::Site site) {
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
      keos::test::fail(__FILE__, __LINE__, "%s: the run after allocation %lu failed: exit %d", mode,
                       n, again.exit_code);
      return;
    }
  }
  keos::test::fail(__FILE__, __LINE__, "%s: more than %lu allocations", mode, kMaxPoints);
}

}  // namespace ktest
