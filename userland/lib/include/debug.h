// debug.h: assertions and the attribute shorthands of KeOS's user library.
//
// A failed ASSERT(cond) prints
//   User process ABORT at FILE:LINE in FUNC(): assertion `COND' failed.
// and ends the process with exit code 1. PANIC("fmt", ...) prints
//   User process ABORT at FILE:LINE in FUNC(): MESSAGE
// and ends it the same way; NOT_REACHED() is a PANIC for code that must never run.
#ifndef KEOS_DEBUG_H
#define KEOS_DEBUG_H

#define UNUSED __attribute__((unused))
#define NO_RETURN __attribute__((noreturn))
#define NO_INLINE __attribute__((noinline))
// For a function taking a printf format as argument FMT (counted from 1) and the values
// from argument FIRST: PRINTF_FORMAT(1, 2) for f(const char *fmt, ...).
#define PRINTF_FORMAT(FMT, FIRST) __attribute__((format(printf, FMT, FIRST)))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

NO_RETURN void __assert_fail_keos(const char *cond, const char *file, int line,
                                  const char *func);
NO_RETURN void __panic_keos(const char *file, int line, const char *func, const char *fmt, ...)
    PRINTF_FORMAT(4, 5);

#define ASSERT(cond) \
  (likely(cond) ? (void)0 : __assert_fail_keos(#cond, __FILE__, __LINE__, __func__))
#define PANIC(...) __panic_keos(__FILE__, __LINE__, __func__, __VA_ARGS__)
#define NOT_REACHED() PANIC("executed an unreachable statement")

#endif
