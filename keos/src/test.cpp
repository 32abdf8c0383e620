#include <keos/test.hpp>

#include <atomic>
#include <cstdarg>

#include <abyss/cmdline.hpp>
#include <abyss/console.hpp>
#include <abyss/format.hpp>
#include <abyss/panic.hpp>
#include <abyss/power.hpp>
#include <abyss/string.hpp>
#include <abyss/time.hpp>
#include <keos/bench.hpp>
#include <keos/mm/frame_alloc.hpp>
#include <keos/teletype.hpp>
#include <keos/thread/thread.hpp>

extern "C" const keos::test::TestCase* const __keos_tests_start[];
extern "C" const keos::test::TestCase* const __keos_tests_end[];

namespace keos::test {
namespace {

constexpr std::size_t kSelectionMax = 4096;
constexpr std::size_t kMaxTests = 1024;

bool g_failed = false;
char g_failure[400];
// The running test's first unwritten function, if it reached one. Written by the thread
// that reached it (any CPU), read by the test's thread after the test.
std::atomic<bool> g_running{false};
std::atomic<bool> g_todo{false};
char g_todo_where[200];

// True if `name` matches one of the comma-separated globs in `selection`.
bool selected(const char* selection, const char* name) {
  char glob[128];  // longer globs are cut (test names are far shorter)
  const char* p = selection;
  while (*p != '\0') {
    std::size_t n = 0;
    while (*p != '\0' && *p != ',') {
      if (n + 1 < sizeof glob) glob[n++] = *p;
      ++p;
    }
    glob[n] = '\0';
    if (*p == ',') ++p;
    if (n != 0 && glob_match(glob, name)) return true;
  }
  return false;
}

// The registered tests in name order (the link order is an accident of the build).
const TestCase* g_sorted[kMaxTests];
std::size_t g_count = 0;

void sort_tests() {
  for (const TestCase* const* entry = __keos_tests_start; entry != __keos_tests_end; ++entry) {
    if (g_count == kMaxTests) abyss::panic("more than %lu kernel tests", kMaxTests);
    std::size_t i = g_count++;
    while (i > 0 && strcmp(g_sorted[i - 1]->name, (*entry)->name) > 0) {
      g_sorted[i] = g_sorted[i - 1];
      --i;
    }
    g_sorted[i] = *entry;
  }
}

void list_tests() {
  for (std::size_t i = 0; i < g_count; ++i) {
    const TestCase* t = g_sorted[i];
    if (t->expect_panic != nullptr) {
      abyss::console::line("@@ ktest list %s expect-panic=%s", t->name, t->expect_panic);
    } else {
      abyss::console::line("@@ ktest list %s", t->name);
    }
  }
}

enum class Outcome { kPass, kFail, kTodo };

Outcome run_one(const TestCase& t) {
  g_failed = false;
  g_failure[0] = '\0';
  g_todo.store(false);
  // Each test gets its own teletype (empty input, output captured and echoed), which
  // every thread it creates inherits.
  Teletype* tty = Teletype::create(nullptr, 0, Echo::kYes);
  if (tty == nullptr) abyss::panic("no memory for the test's teletype");
  Teletype* previous = Current::replace_teletype(tty);
  std::size_t frames_before = mm::free_frame_count();
  abyss::console::line("@@ ktest start %s free_frames=%lu", t.name, frames_before);
  std::uint64_t start = abyss::time::now_ns();
  g_running.store(true);
  t.body();
  g_running.store(false);
  std::uint64_t ms = (abyss::time::now_ns() - start) / 1'000'000;
  tty->discard_output();
  std::size_t frames_after = mm::free_frame_count();
  Current::replace_teletype(previous)->unref();
  if (g_todo.load()) {
    abyss::console::line("@@ ktest todo %s ms=%lu free_frames=%lu :: %s", t.name, ms, frames_after,
                         g_todo_where);
    return Outcome::kTodo;
  }
  if (g_failed) {
    abyss::console::line("@@ ktest fail %s ms=%lu free_frames=%lu :: %s", t.name, ms, frames_after,
                         g_failure);
    return Outcome::kFail;
  }
  abyss::console::line("@@ ktest pass %s ms=%lu free_frames=%lu", t.name, ms, frames_after);
  return Outcome::kPass;
}

}  // namespace

void fail(const char* file, int line, const char* fmt, ...) {
  if (g_failed) return;
  g_failed = true;
  std::size_t n = abyss::format(g_failure, sizeof g_failure, "%s:%d: ", file, line);
  std::va_list args;
  va_start(args, fmt);
  abyss::vformat(g_failure + n, sizeof g_failure - n, fmt, args);
  va_end(args);
}

bool failed() { return g_failed; }

bool record_todo(const char* function, const char* file, int line) {
  if (!g_running.load()) return false;
  bool expected = false;
  if (g_todo.compare_exchange_strong(expected, true)) {
    abyss::format(g_todo_where, sizeof g_todo_where, "%s at %s:%d", function, file, line);
  }
  return true;
}

bool todo_reached() { return g_todo.load(); }

void run_from_cmdline(const char* cmdline) {
  if (abyss::cmdline_has(cmdline, "bench")) bench::run_from_cmdline(cmdline);  // no tests
  sort_tests();
  if (abyss::cmdline_has(cmdline, "test.list")) {
    list_tests();
    abyss::power_off(abyss::ExitCode::kSuccess);
  }
  static char selection[kSelectionMax];
  static char last[kSelectionMax];
  bool explicit_selection = abyss::cmdline_value(cmdline, "test", selection, sizeof selection);
  if (!abyss::cmdline_value(cmdline, "test.last", last, sizeof last)) last[0] = '\0';
  // test.after=NAME: a boot after one that ended in NAME runs only the tests after it.
  static char after[128];
  bool skipping = abyss::cmdline_value(cmdline, "test.after", after, sizeof after);
  unsigned counts[3] = {};  // by Outcome
  // Two rounds: the tests that do not match test.last, then those that do.
  for (int round = 0; round < 2; ++round) {
    for (std::size_t i = 0; i < g_count; ++i) {
      const TestCase* t = g_sorted[i];
      bool run = explicit_selection ? selected(selection, t->name) : t->expect_panic == nullptr;
      if (!run || selected(last, t->name) != (round == 1)) continue;
      if (skipping) {
        skipping = strcmp(t->name, after) != 0;
        continue;
      }
      ++counts[static_cast<int>(run_one(*t))];
    }
  }
  unsigned passed = counts[static_cast<int>(Outcome::kPass)];
  unsigned failed_count = counts[static_cast<int>(Outcome::kFail)];
  unsigned todo = counts[static_cast<int>(Outcome::kTodo)];
  abyss::console::line("@@ summary passed=%u failed=%u todo=%u", passed, failed_count, todo);
  abyss::power_off(failed_count == 0 && todo == 0 ? abyss::ExitCode::kSuccess
                                                  : abyss::ExitCode::kFailure);
}

}  // namespace keos::test
