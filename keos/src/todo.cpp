#include <keos/todo.hpp>

#include <abyss/console.hpp>
#include <abyss/cpu.hpp>
#include <abyss/panic.hpp>
#include <keos/test.hpp>
#include <keos/thread/thread.hpp>

namespace keos {

void not_implemented(const char* function, const char* file, int line) {
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
