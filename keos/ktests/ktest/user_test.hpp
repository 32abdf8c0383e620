// Kernel tests that run a user program from the root file system:
//
//   KEOS_USER_TEST(sys_open_basic, .program = "sys_open", .exit_code = 0)
//   KEOS_USER_TEST(args_addresses, .program = "args", .args = {"args", "a", "b"},
//                  .stdin_text = "", .exit_code = 0, .stdout_text = "argc=3\n...")
//
// The program runs as a new process with args (argv[0] included; default: just the
// program's name), `stdin_text` as its standard input, and its own captured output. The
// test fails if the exit code differs, or if `stdout_text` is given and the captured
// standard output differs (the report shows the first differing line). The test ends when
// every process the program forked has ended too (they share its output); processes
// still running 20 s after the program exited are killed and fail the test.
#pragma once

#include <cstddef>

#include <keos/result.hpp>
#include <keos/test.hpp>

namespace ktest {

struct UserTestSpec {
  const char* program;
  const char* args[16] = {};  // argv; empty means {program}
  const char* stdin_text = "";
  int exit_code = 0;
  const char* stdout_text = nullptr;  // nullptr: not compared
  // Memory pressure (run_user_program only): when non-zero, the program runs with only
  // this many free frames (a FrameHog holds the rest until every process has ended).
  std::size_t leave_frames = 0;
};

/// What one run of a user program did, for tests that judge it themselves.
struct UserRun {
  bool started = false;           // false: the program could not be run (see `error`)
  keos::KernelError error{};      // why it could not
  int exit_code = 0;
  bool forked_ended = true;       // every forked process ended within the grace period
  static constexpr std::size_t kKeep = 512;
  char stdout_text[kKeep + 1] = {};  // the first kKeep bytes of its standard output
  std::size_t stdout_size = 0;       // all of it
  std::size_t free_frames_after = 0;  // after every process ended (before a hog let go)
};

/// Runs the program of `spec` (its stdout_text and exit_code are not judged here), waits
/// for its forked processes, and describes what happened in `run`.
void run_user_program(const UserTestSpec& spec, UserRun& run);

/// Runs the program described by `spec` and records a failure if it misbehaves.
void run_user_test(const UserTestSpec& spec);

}  // namespace ktest

#define KEOS_USER_TEST(name, ...) \
  KEOS_TEST(name) { ::ktest::run_user_test(::ktest::UserTestSpec{__VA_ARGS__}); }
