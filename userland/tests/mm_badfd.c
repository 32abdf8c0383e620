// mm_badfd: only -1 (anonymous) and regular files can be mapped. stdin, stdout, stderr,
// both ends of a pipe, a closed fd, fds never opened, negative fds other than -1 and a -1
// that is not sign-extended to 64 bits all fail, and a failed call maps nothing.
#include <errno.h>
#include <fcntl.h>
#include <mman.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>

#include "check.h"

#define PAGE 4096ul
#define BASE 0x10000000ul

static void fails(const char *what, long fd) {
  // The raw system call, so that fd reaches the kernel exactly as given.
  long r = syscall5(SYS_MMAP, (long)BASE, (long)PAGE, PROT_READ, fd, 0);
  if (!IS_ERR(r)) {
    printf("mm_badfd: mmap of %s returned %#lx, expected an error\n", what, (unsigned long)r);
    exit(1);
  }
}

int main(void) {
  fails("stdin", 0);
  fails("stdout", 1);
  fails("stderr", 2);
  int fds[2];
  EXPECT("pipe", pipe(fds), 0);
  fails("a pipe's read end", fds[0]);
  fails("a pipe's write end", fds[1]);
  printf("mm_badfd: stdio and pipes refused\n");

  int fd = open("hello", O_RDONLY);
  EXPECT("open hello", fd >= 3, 1);
  EXPECT("close hello", close(fd), 0);
  fails("a closed fd", fd);
  fails("fd 1000", 1000);
  fails("fd 1023", 1023);
  fails("fd 1024", 1024);
  fails("fd INT32_MAX", INT32_MAX);
  fails("fd 2^32", 1l << 32);
  fails("fd -2", -2);
  fails("fd INT32_MIN", INT32_MIN);
  fails("fd 0xffffffff (a 32-bit -1)", 0xffffffffl);
  printf("mm_badfd: closed, unknown and negative fds refused\n");

  volatile uint8_t *p = mmap((void *)BASE, PAGE, PROT_READ | PROT_WRITE, MAP_ANONYMOUS_FD, 0);
  EXPECT("nothing was mapped by the failures", (long)p, (long)BASE);
  EXPECT("an anonymous page reads zero", p[100], 0);
  fd = open("hello", O_RDONLY);
  const char *f = mmap((void *)(BASE + PAGE), PAGE, PROT_READ, fd, 0);
  EXPECT("mmap of a regular file", (long)f, (long)(BASE + PAGE));
  EXPECT("its content", memcmp(f, "Welcome", 7), 0);
  printf("mm_badfd: ok\n");
  return 0;
}
