// The host build's stand-in for abyss/src/panic.cpp (see host_panic.hpp).
#include "host_panic.hpp"

#include <cstdarg>
#include <cstdio>

#include <abyss/panic.hpp>

namespace abyss {

void panic(const char* fmt, ...) {
  char buf[512];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  throw HostPanic(buf);
}

}  // namespace abyss
