// The failure path of ASSERT (debug.h).
#include <debug.h>
#include <stdio.h>
#include <syscall.h>

void __assert_fail_keos(const char *cond, const char *file, int line, const char *func) {
  printf("User process ABORT at %s:%d in %s(): assertion `%s' failed.\n", file, line, func, cond);
  exit(1);
}
