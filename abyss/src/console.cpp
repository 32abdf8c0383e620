#include <abyss/console.hpp>

#include <atomic>
#include <cstdarg>

#include <abyss/format.hpp>
#include <abyss/percpu.hpp>
#include <abyss/serial.hpp>
#include <abyss/spinlock.hpp>

namespace abyss {
namespace {

constexpr std::size_t kLineMax = 512;

SpinLock g_console_lock;
std::atomic<LogLevel> g_level{LogLevel::kInfo};
std::atomic<bool> g_panic_mode{false};

void emit(const char* text, std::size_t len) {
  if (g_panic_mode.load(std::memory_order_relaxed)) {
    serial::write(text, len);
    return;
  }
  SpinLockGuard guard(g_console_lock);
  serial::write(text, len);
}

void vlog(LogLevel level, const char* name, const char* fmt, std::va_list args) {
  if (level < g_level.load(std::memory_order_relaxed)) return;
  char buf[kLineMax];
  std::size_t n = format(buf, sizeof buf, "[cpu%u] %s: ", cpu_id(), name);
  n += vformat(buf + n, sizeof buf - n - 1, fmt, args);
  buf[n++] = '\n';
  emit(buf, n);
}

}  // namespace

namespace console {

void line(const char* fmt, ...) {
  char buf[kLineMax];
  std::va_list args;
  va_start(args, fmt);
  std::size_t n = vformat(buf, sizeof buf - 1, fmt, args);
  va_end(args);
  buf[n++] = '\n';
  emit(buf, n);
}

void write(const char* text, std::size_t len) { emit(text, len); }

void set_level(LogLevel level) { g_level.store(level, std::memory_order_relaxed); }
LogLevel level() { return g_level.load(std::memory_order_relaxed); }

void enter_panic_mode() { g_panic_mode.store(true); }

}  // namespace console

namespace log {

#define ABYSS_DEFINE_LOG(fn, level_value) \
  void fn(const char* fmt, ...) {         \
    std::va_list args;                    \
    va_start(args, fmt);                  \
    vlog(level_value, #fn, fmt, args);    \
    va_end(args);                         \
  }

ABYSS_DEFINE_LOG(debug, LogLevel::kDebug)
ABYSS_DEFINE_LOG(info, LogLevel::kInfo)
ABYSS_DEFINE_LOG(warning, LogLevel::kWarning)
#undef ABYSS_DEFINE_LOG

}  // namespace log
}  // namespace abyss
