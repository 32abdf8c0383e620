/// \file
/// In-kernel tests.
///
/// A test is a function registered with KEOS_TEST(name) { ... }; the registration lands in
/// the .keos_tests section, so the kernel finds every linked test without a hand-kept list.
/// The kernel command line selects what runs: `test=NAME,GLOB*` (default: every test that
/// does not expect a panic) or `test.list` to print the table; with `bench=...` the
/// benchmarks of keos/bench.hpp run instead of any test. Tests run in name order, except
/// that those matching `test.last=GLOB,...` (the assignment's, say) run after the others;
/// `test.after=NAME` skips every test up to NAME, NAME included (the host boots again that
/// way after a test stopped the kernel).
///
/// Protocol on the console, one line each (the host runner parses these):
/// ```
///   @@ ktest list NAME [expect-panic=TEXT]
///   @@ ktest start NAME free_frames=N
///   @@ ktest pass NAME ms=T free_frames=N
///   @@ ktest fail NAME ms=T free_frames=N :: FILE:LINE: MESSAGE
///   @@ ktest todo NAME ms=T free_frames=N :: FUNCTION at FILE:LINE
///   @@ summary passed=N failed=M todo=K
/// ```
/// then the kernel powers off with ExitCode::kSuccess (everything passed) or kFailure.
/// `todo` is a test that reached an assignment function not written yet (keos/todo.hpp)
/// in one of its user processes: the processes were ended and the next test runs. A test declared with
/// KEOS_TEST_EXPECT_PANIC must end in a kernel panic whose report contains each " ;; "-
/// separated piece of TEXT; the host runner checks that (the kernel cannot report after
/// its own panic).
#pragma once

#include <cstdint>

/// The in-kernel test framework.
namespace keos::test {

/// One registered test (made by KEOS_TEST and KEOS_TEST_EXPECT_PANIC).
struct TestCase {
  const char* name;          ///< the test's name, as the command line selects it
  void (*body)();            ///< the test function
  const char* expect_panic;  ///< nullptr for ordinary tests
};

/// Records a failure of the running test (the first one is reported).
void fail(const char* file, int line, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
/// True if the running test has failed.
bool failed();
/// Records that the running test reached `function` (an unwritten assignment function)
/// at `file`:`line`; the first one is reported. False if no test is running.
bool record_todo(const char* function, const char* file, int line);
/// True if the running test reached an unwritten assignment function: loops that run
/// many programs stop early, the verdict is made already.
bool todo_reached();

/// Runs what the command line selects and powers off. Never returns.
[[noreturn]] void run_from_cmdline(const char* cmdline);

/// True if `name` matches the glob `pattern` (`*` any run, `?` any one character).
bool glob_match(const char* pattern, const char* name);

}  // namespace keos::test

/// The machinery behind KEOS_TEST and KEOS_TEST_EXPECT_PANIC (not for direct use): declares
/// the test function, its TestCase, and a pointer to the TestCase in `.keos_tests`. The
/// section holds pointers, not the records: the compiler may pad or over-align records
/// placed one after another, but an array of pointers has no gaps.
#define KEOS_TEST_REGISTER_(name, expect)                                                         \
  static void ktest_##name();                                                                     \
  static constexpr ::keos::test::TestCase ktest_case_##name{#name, &ktest_##name, expect};        \
  [[gnu::used,                                                                                    \
    gnu::section(".keos_tests")]] static const ::keos::test::TestCase* const ktest_entry_##name = \
      &ktest_case_##name;                                                                         \
  static void ktest_##name()

/// Defines an in-kernel test: `KEOS_TEST(frame_refcount) { ... }`.
#define KEOS_TEST(name) KEOS_TEST_REGISTER_(name, nullptr)
/// Defines a test that passes only if it panics and the report (message, added lines,
/// backtrace) contains `text`; several required pieces are separated by " ;; ".
#define KEOS_TEST_EXPECT_PANIC(name, text) KEOS_TEST_REGISTER_(name, text)

/// Fails the test and returns from the current function if `cond` is false.
#define KEOS_ASSERT(cond)                                                     \
  do {                                                                        \
    if (!(cond)) {                                                            \
      ::keos::test::fail(__FILE__, __LINE__, "assertion `%s' failed", #cond); \
      return;                                                                 \
    }                                                                         \
  } while (0)

/// Fails the test and returns if `a != b`; prints both values.
#define KEOS_ASSERT_EQ(a, b)                                                                \
  do {                                                                                      \
    auto keos_a_ = (a);                                                                     \
    auto keos_b_ = (b);                                                                     \
    if (!(keos_a_ == keos_b_)) {                                                            \
      ::keos::test::fail(__FILE__, __LINE__, "`%s == %s' failed: %lld != %lld", #a, #b,     \
                         static_cast<long long>(keos_a_), static_cast<long long>(keos_b_)); \
      return;                                                                               \
    }                                                                                       \
  } while (0)
