// The failure paths of ASSERT and PANIC (debug.h): one line on standard output, exit 1.
#include <debug.h>
#include <stdio.h>
#include <syscall.h>

void __assert_fail_keos(const char *cond, const char *file, int line, const char *func) {
  printf("User process ABORT at %s:%d in %s(): assertion `%s' failed.\n", file, line, func, cond);
  exit(1);
}

void __panic_keos(const char *file, int line, const char *func, const char *fmt, ...) {
  // Formatted first, so that the whole line leaves in one write.
  char message[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  printf("User process ABORT at %s:%d in %s(): %s\n", file, line, func, message);
  exit(1);
}
