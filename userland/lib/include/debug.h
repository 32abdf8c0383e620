// debug.h: ASSERT for user programs. A failed assertion prints
//   User process ABORT at FILE:LINE in FUNC(): assertion `COND' failed.
// and ends the process with exit code 1.
#ifndef KEOS_DEBUG_H
#define KEOS_DEBUG_H

__attribute__((noreturn)) void __assert_fail_keos(const char *cond, const char *file, int line,
                                                  const char *func);

#define ASSERT(cond) \
  ((cond) ? (void)0 : __assert_fail_keos(#cond, __FILE__, __LINE__, __func__))

#define NOT_REACHED() __assert_fail_keos("not reached", __FILE__, __LINE__, __func__)

#endif
