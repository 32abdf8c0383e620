#include "user_test.hpp"

#include <abyss/string.hpp>
#include <abyss/time.hpp>
#include <keos/process/process.hpp>
#include <keos/teletype.hpp>
#include <keos/thread/thread.hpp>

namespace grader {
namespace {

constexpr std::uint64_t kForkedGraceSeconds = 20;

// Reports the first line where `got` and `want` differ.
void report_difference(const char* got, std::size_t got_len, const char* want) {
  std::size_t want_len = strlen(want);
  std::size_t i = 0, line = 1, line_start = 0;
  while (i < got_len && i < want_len && got[i] == want[i]) {
    if (got[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
    ++i;
  }
  auto line_end = [](const char* s, std::size_t len, std::size_t from) {
    std::size_t e = from;
    while (e < len && s[e] != '\n') ++e;
    return e;
  };
  std::size_t ge = line_end(got, got_len, line_start), we = line_end(want, want_len, line_start);
  char got_line[96] = {}, want_line[96] = {};
  memcpy(got_line, got + line_start, ge - line_start < 95 ? ge - line_start : 95);
  memcpy(want_line, want + line_start, we - line_start < 95 ? we - line_start : 95);
  keos::test::fail(__FILE__, __LINE__, "stdout differs at line %lu: expected \"%s\", got \"%s\"%s",
                   line, want_line, got_line,
                   i >= got_len ? " (output ended)" : (i >= want_len ? " (extra output)" : ""));
}

// Waits until only the harness holds `tty`: every process the program forked (they all
// inherit its teletype) has ended and been released. Gives up after `seconds`.
bool wait_for_forked_processes(keos::Teletype* tty, std::uint64_t seconds) {
  std::uint64_t deadline = abyss::time::now_ns() + seconds * 1'000'000'000;
  while (tty->refs() > 1) {
    if (abyss::time::now_ns() > deadline) return false;
    keos::Current::yield();
  }
  return true;
}

}  // namespace

void run_user_test(const UserTestSpec& spec) {
  const char* const* args = spec.args;
  std::size_t argc = 0;
  while (argc < 16 && spec.args[argc] != nullptr) ++argc;
  const char* just_name[] = {spec.program};
  if (argc == 0) {
    args = just_name;
    argc = 1;
  }
  keos::Teletype* tty =
      keos::Teletype::create(spec.stdin_text, strlen(spec.stdin_text), keos::Echo::kYes);
  if (tty == nullptr) {
    keos::test::fail(__FILE__, __LINE__, "out of memory for a teletype");
    return;
  }
  tty->ref();  // ours, to read the output after the run
  keos::Teletype* previous = keos::Current::replace_teletype(tty);
  keos::Result<int> code = keos::run_elf(spec.program, args, argc);
  keos::Current::replace_teletype(previous)->unref();
  // The test is over when every forked process is gone too: its output is complete, and
  // its frames are back before the harness counts them.
  if (!wait_for_forked_processes(tty, kForkedGraceSeconds)) {
    std::size_t killed = keos::hang_up(tty);
    keos::test::fail(__FILE__, __LINE__,
                     "%lu forked process(es) still running %lu s after %s exited (killed)",
                     killed, kForkedGraceSeconds, spec.program);
    if (!wait_for_forked_processes(tty, kForkedGraceSeconds)) {
      keos::test::fail(__FILE__, __LINE__, "forked processes did not end when killed");
    }
  }
  if (code.is_err()) {
    keos::test::fail(__FILE__, __LINE__, "cannot run %s: %s", spec.program,
                     keos::error_name(code.error()));
  } else if (code.value() != spec.exit_code) {
    keos::test::fail(__FILE__, __LINE__, "%s exited with %d, expected %d", spec.program,
                     code.value(), spec.exit_code);
  } else if (spec.stdout_text != nullptr) {
    std::size_t len = tty->captured_size(keos::Stream::kStdout);
    const char* out = tty->captured(keos::Stream::kStdout);
    if (len != strlen(spec.stdout_text) || memcmp(out, spec.stdout_text, len) != 0) {
      report_difference(out != nullptr ? out : "", len, spec.stdout_text);
    }
  }
  tty->discard_output();
  tty->unref();
}

}  // namespace grader
