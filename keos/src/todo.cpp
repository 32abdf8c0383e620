#include <keos/todo.hpp>

#include <cstddef>

#include <abyss/console.hpp>
#include <abyss/cpu.hpp>
#include <abyss/panic.hpp>
#include <keos/test.hpp>
#include <keos/thread/thread.hpp>

namespace keos {

namespace {

// A name as the student's file spells it (the function's, or the file's through #line), on
// one line: a newline in it would let the file print a protocol line of its choosing
// ("@@ ktest pass ...").
void one_line(const char* text, char* out, std::size_t size) {
  std::size_t n = 0;
  for (; text[n] != '\0' && n + 1 < size; ++n) {
    unsigned char c = static_cast<unsigned char>(text[n]);
    out[n] = c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c);
  }
  out[n] = '\0';
}

}  // namespace

void not_implemented(const char* raw_function, const char* raw_file, int line) {
  char function[128], file[128];
  one_line(raw_function, function, sizeof function);
  one_line(raw_file, file, sizeof file);
  abyss::console::line("@@ todo %s at %s:%d", function, file, line);
  // A user process of a test reached the stub, in a system call or a page fault, with
  // interrupts on (so no spin lock is held): end the test's processes and let the test
  // report "todo" and the next one run. Anywhere else (a kernel test calling the
  // function itself, say) there is nothing safe to end but the whole kernel.
  if (abyss::cpu::interrupts_enabled() && Current::task() != nullptr &&
      test::record_todo(function, file, line)) {
    abyss::log::info(
        "thread %lu (%s): %s is not implemented yet (%s:%d): its test's "
        "processes end",
        Current::id(), Current::name(), function, file, line);
    hang_up(&Current::teletype());
    Current::exit(-1);
  }
  abyss::panic("not implemented: %s (%s:%d)", function, file, line);
}

}  // namespace keos
