#include <keos/todo.hpp>

#include <abyss/console.hpp>
#include <abyss/panic.hpp>

namespace keos {

void not_implemented(const char* function, const char* file, int line) {
  abyss::console::line("@@ todo %s at %s:%d", function, file, line);
  abyss::panic("not implemented: %s (%s:%d)", function, file, line);
}

}  // namespace keos
