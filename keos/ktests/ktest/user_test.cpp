#include <ktest/user_test.hpp>

#include <ktest/frame_hog.hpp>

#include <abyss/string.hpp>
#include <abyss/time.hpp>
#include <keos/mm/frame_alloc.hpp>
#include <keos/process/process.hpp>
#include <keos/teletype.hpp>
#include <keos/thread/thread.hpp>

namespace ktest {
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

// The last non-empty line of `text` (an assertion message, typically), cut to fit `out`.
void last_line(const char* text, std::size_t len, char* out, std::size_t out_size) {
  while (len > 0 && text[len - 1] == '\n') --len;
  std::size_t start = len;
  while (start > 0 && text[start - 1] != '\n') --start;
  std::size_t n = len - start < out_size - 1 ? len - start : out_size - 1;
  if (n != 0) memcpy(out, text + start, n);
  out[n] = '\0';
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

// Runs the program on a new teletype and returns the teletype (one reference, the
// caller's) with its output, or nullptr if out of memory. The run is over when every
// process it forked has ended too: its output is complete, and its frames are back
// before the harness counts them. Processes still running after the grace period are
// killed.
keos::Teletype* run_on_teletype(const UserTestSpec& spec, UserRun& run) {
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
  if (tty == nullptr) return nullptr;
  if (spec.leave_frames != 0 && !tty->reserve_output(UserRun::kKeep)) {
    tty->unref();
    return nullptr;
  }
  FrameHog hog;
  if (spec.leave_frames != 0) hog.take_until(spec.leave_frames);
  tty->ref();  // ours, to read the output after the run
  keos::Teletype* previous = keos::Current::replace_teletype(tty);
  keos::Result<int> code = keos::run_elf(spec.program, args, argc);
  keos::Current::replace_teletype(previous)->unref();
  run.started = code.is_ok();
  if (code.is_ok()) {
    run.exit_code = code.value();
  } else {
    run.error = code.error();
  }
  if (!wait_for_forked_processes(tty, kForkedGraceSeconds)) {
    run.forked_ended = false;
    keos::hang_up(tty);
    wait_for_forked_processes(tty, kForkedGraceSeconds);
  }
  run.free_frames_after = keos::mm::free_frame_count();
  hog.release();
  return tty;
}

}  // namespace

void run_user_program(const UserTestSpec& spec, UserRun& run) {
  run = UserRun{};
  keos::Teletype* tty = run_on_teletype(spec, run);
  if (tty == nullptr) {
    run.error = keos::KernelError::kNoMemory;
    return;
  }
  run.stdout_size = tty->captured_size(keos::Stream::kStdout);
  if (run.stdout_size != 0) {
    memcpy(run.stdout_text, tty->captured(keos::Stream::kStdout),
           run.stdout_size < UserRun::kKeep ? run.stdout_size : UserRun::kKeep);
  }
  tty->discard_output();
  tty->unref();
}

void run_user_test(const UserTestSpec& spec) {
  UserRun run;
  keos::Teletype* tty = run_on_teletype(spec, run);
  if (tty == nullptr) {
    keos::test::fail(__FILE__, __LINE__, "out of memory for a teletype");
    return;
  }
  if (!run.started) {
    keos::test::fail(__FILE__, __LINE__, "cannot run %s: %s", spec.program,
                     keos::error_name(run.error));
  } else if (!run.forked_ended) {
    keos::test::fail(__FILE__, __LINE__,
                     "forked processes still running %lu s after %s exited (killed)",
                     kForkedGraceSeconds, spec.program);
  } else if (run.exit_code != spec.exit_code) {
    char last[160];
    last_line(tty->captured(keos::Stream::kStdout), tty->captured_size(keos::Stream::kStdout),
              last, sizeof last);
    keos::test::fail(__FILE__, __LINE__, "%s exited with %d, expected %d; its last output: \"%s\"",
                     spec.program, run.exit_code, spec.exit_code, last);
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

}  // namespace ktest
