#include "user_test.hpp"

#include <abyss/string.hpp>
#include <keos/process/process.hpp>
#include <keos/teletype.hpp>
#include <keos/thread/thread.hpp>

namespace grader {
namespace {

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
