/// \file
/// The kernel console on COM1, and the kernel log.
///
/// Every call prints whole lines under one lock, so lines from different CPUs never
/// interleave. Log lines carry a level and the CPU number: "[cpu1] info: ...". The level
/// threshold comes from the kernel command line: `quiet` shows warnings only,
/// `loglevel=debug` shows everything, the default shows info and warnings.
/// `console::line` prints unconditionally: it carries the test protocol and panic reports.
#pragma once

#include <cstddef>

namespace abyss {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2 };

namespace console {

/// Prints one line (a newline is added) regardless of the log level.
void line(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
/// Prints raw text under the console lock, as is.
void write(const char* text, std::size_t len);

void set_level(LogLevel level);
LogLevel level();

/// Panic path: stop honouring the lock (the other CPUs are stopped or wedged).
void enter_panic_mode();

}  // namespace console

namespace log {

void debug(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void info(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void warning(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

}  // namespace log
}  // namespace abyss
