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

/// How important a log line is; lines below the console's level are dropped.
enum class LogLevel {
  kDebug = 0,    ///< details for whoever debugs the kernel (`loglevel=debug`)
  kInfo = 1,     ///< progress worth seeing on a normal boot
  kWarning = 2   ///< something went wrong but the kernel goes on (always shown)
};

/// The locked console on COM1: whole lines, never interleaved between CPUs.
namespace console {

/// Prints one line (a newline is added) regardless of the log level.
void line(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
/// Prints raw text under the console lock, as is.
void write(const char* text, std::size_t len);

/// Sets the threshold: log lines below `level` are dropped from now on.
void set_level(LogLevel level);
/// The current threshold.
LogLevel level();

/// Panic path: stop honouring the lock (the other CPUs are stopped or wedged).
void enter_panic_mode();

}  // namespace console

/// The kernel log: printf-style lines tagged with their level and the CPU number.
namespace log {

/// Logs a line at LogLevel::kDebug (format as for abyss::format()).
void debug(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
/// Logs a line at LogLevel::kInfo.
void info(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
/// Logs a line at LogLevel::kWarning.
void warning(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

}  // namespace log
}  // namespace abyss
