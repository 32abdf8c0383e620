// check.h: the checks of the test programs (sys_*, mm_*, libc_*).
//
// A failed check prints one line to standard output,
//   FAIL userland/tests/sys_x.c:42: read(fd, buf, 4) is -22 (0xffffffffffffffea), expected 4
// and ends the process with exit code 1, so a test fails on its exit code and shows the
// line as the program's last output. Values are compared as 64-bit integers: a system
// call's result is a long, and pointers are compared by address.
#ifndef KEOS_CHECK_H
#define KEOS_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>

// The get_phys system call (SYS_GETPHYS): with mode 0 the physical address behind `va`
// (page address | offset), with mode 1 the raw page-table entry of its page (bit 1 RW,
// bit 63 XD; cast to an unsigned type before testing bit 63), or -EINVAL without an entry.
// The user library has no get_phys (course programs define their own, under that name),
// so the tests name theirs differently.
static inline long test_get_phys(const void *va, int mode) {
  return syscall2(SYS_GETPHYS, va, mode);
}

__attribute__((noreturn)) static inline void sys_check_failed(const char *file, int line,
                                                              const char *what, long got,
                                                              const char *want, long want_value) {
  printf("FAIL %s:%d: %s is %ld (%#lx), expected %s (%ld)\n", file, line, what, got,
         (unsigned long)got, want, want_value);
  exit(1);
}

static inline void sys_check_eq(long got, long want, const char *what, const char *want_text,
                                const char *file, int line) {
  if (got != want) sys_check_failed(file, line, what, got, want_text, want);
}

// An error of the ABI: any value in (-256, 0).
static inline void sys_check_is_err(long got, const char *what, const char *file, int line) {
  if (!IS_ERR(got)) sys_check_failed(file, line, what, got, "an error in (-256, 0)", -1);
}

// `got` must equal `want`.
#define CHECK_EQ(got, want) sys_check_eq((long)(got), (long)(want), #got, #want, __FILE__, __LINE__)
// `got` must be the error code -`err` (err is a positive errno.h name, like EBADF).
#define CHECK_ERR(got, err) \
  sys_check_eq((long)(got), -(long)(err), #got, "-" #err, __FILE__, __LINE__)
// `got` must be some error (any value in (-256, 0)).
#define CHECK_IS_ERR(got) sys_check_is_err((long)(got), #got, __FILE__, __LINE__)
// `cond` must hold.
#define CHECK(cond) sys_check_eq(!!(cond), 1, #cond, "true", __FILE__, __LINE__)

// The same checks described in words, for values whose expression says little:
//   EXPECT("the first open", fd, 3);  EXPECT_TRUE("the page reads zero", p[0] == 0);
#define EXPECT(what, got, want) sys_check_eq((long)(got), (long)(want), what, #want, __FILE__, __LINE__)
#define EXPECT_TRUE(what, cond) sys_check_eq(!!(cond), 1, what, "true", __FILE__, __LINE__)

#endif
