// Project 3 under memory pressure: fork and copy-on-write faults that run out of frames.
// Each test sweeps how many frames are left free (a FrameHog holds the rest) over the
// range where the program starts but the operation under test cannot finish, and
// requires for every point: a clean outcome (an error code, or the faulting process alone
// ending with -1), no panic, and exactly the frames it started with free again.
#include <abyss/string.hpp>
#include <keos/test.hpp>

#include <ktest/user_test.hpp>

namespace {

using ktest::UserRun;
using ktest::UserTestSpec;

constexpr std::size_t kFirstLeave = 4;
constexpr std::size_t kLastLeave = 1200;

bool contains(const UserRun& run, const char* text) {
  std::size_t n = strlen(text);
  for (const char* p = run.stdout_text; *p != '\0'; ++p) {
    if (strncmp(p, text, n) == 0) return true;
  }
  return false;
}

// Runs `program` with `leave` free frames; fails the test if frames went missing.
bool run_short_of_memory(const char* program, std::size_t leave, UserRun& run) {
  run_user_program(UserTestSpec{.program = program, .leave_frames = leave}, run);
  if (keos::test::todo_reached()) return false;  // the verdict is made: not implemented
  if (!run.forked_ended) {
    keos::test::fail(__FILE__, __LINE__, "%s with %lu free frames: forked processes hung",
                     program, leave);
    return false;
  }
  if (run.free_frames_after != leave) {
    keos::test::fail(__FILE__, __LINE__,
                     "%s with %lu free frames: %lu free after it ended (%ld leaked)", program,
                     leave, run.free_frames_after,
                     static_cast<long>(leave) - static_cast<long>(run.free_frames_after));
    return false;
  }
  return true;
}

}  // namespace

// fork with too few frames must return ENOMEM and leave the parent as it was (the program
// checks its pages: data, frame and write right); nothing may leak.
KEOS_TEST(fork_nomem) {
  unsigned enomem = 0, no_start = 0, killed = 0;
  bool forked = false;
  for (std::size_t leave = kFirstLeave; leave <= kLastLeave && !forked; ++leave) {
    UserRun run;
    if (!run_short_of_memory("fork_nomem", leave, run)) return;
    if (!run.started) {
      ++no_start;  // not even the program fit
    } else if (run.exit_code == -1) {
      ++killed;  // out of memory before the fork (its own page faults)
    } else if (run.exit_code == 12) {
      ++enomem;
    } else if (run.exit_code == 0) {
      forked = true;
    } else {
      keos::test::fail(__FILE__, __LINE__, "with %lu free frames: exit code %d: %s", leave,
                       run.exit_code, run.stdout_text);
      return;
    }
  }
  if (!forked) {
    keos::test::fail(__FILE__, __LINE__, "fork never succeeded with up to %lu free frames",
                     kLastLeave);
  } else if (enomem == 0) {
    keos::test::fail(__FILE__, __LINE__,
                     "fork never failed with ENOMEM (%u runs could not start, %u were killed)",
                     no_start, killed);
  }
}

// The parent runs out of memory while copying shared pages: it alone ends with -1; the
// child keeps its data and can write all of it; nothing leaks.
KEOS_TEST(cow_nomem) {
  unsigned parent_killed = 0;
  bool finished = false;
  for (std::size_t leave = kFirstLeave; leave <= kLastLeave && !finished; leave += 3) {
    UserRun run;
    if (!run_short_of_memory("cow_nomem", leave, run)) return;
    if (!run.started || run.exit_code == 12) continue;  // too little to start or to fork
    bool forked = contains(run, "child ready");
    if (run.exit_code == 6 && !forked) continue;  // the child ran out of memory first
    if (forked && (!contains(run, "child intact") || !contains(run, "child done"))) {
      keos::test::fail(__FILE__, __LINE__,
                       "with %lu free frames (parent exit %d): child said \"%s\"", leave,
                       run.exit_code, run.stdout_text);
      return;
    }
    if (run.exit_code == -1 && forked) {
      ++parent_killed;
    } else if (run.exit_code == 0) {
      finished = true;
    } else if (run.exit_code != -1) {
      keos::test::fail(__FILE__, __LINE__, "with %lu free frames: exit code %d: %s", leave,
                       run.exit_code, run.stdout_text);
      return;
    }
  }
  if (!finished) {
    keos::test::fail(__FILE__, __LINE__, "cow_nomem never finished with up to %lu frames",
                     kLastLeave);
  } else if (parent_killed == 0) {
    keos::test::fail(__FILE__, __LINE__,
                     "the parent never ran out of memory in a copy-on-write fault");
  }
}
