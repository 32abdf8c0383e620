// mm_readspan: system calls on buffers that span mappings. read() into a buffer across
// two adjacent writable mappings (anonymous, or anonymous then a private file mapping not
// loaded yet) fills both; write() from a buffer across a writable and a read-only mapping
// works. read() into a buffer that runs into a gap, into a read-only mapping, or lies in
// a read-only file mapping fails, and no mapped byte changes.
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
#define HELLO_SIZE 140

static void fails(const char *what, long r) {
  if (IS_ERR(r)) return;
  printf("mm_readspan: %s returned %ld, expected an error\n", what, r);
  exit(1);
}

static long first_nonzero(const volatile uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != 0) return (long)i;
  }
  return -1;
}

static char hello[HELLO_SIZE];

static int open_hello(void) {
  int fd = open("hello", O_RDONLY);
  EXPECT("open hello", fd >= 3, 1);
  return fd;
}

static uint8_t *map(unsigned long addr, int prot, int fd) {
  uint8_t *p = mmap((void *)addr, PAGE, prot, fd, 0);
  EXPECT("mmap", (long)p, (long)addr);
  return p;
}

static void across_adjacent_mappings(void) {
  int fd = open_hello();
  EXPECT("read hello", read(fd, hello, sizeof hello), HELLO_SIZE);
  map(BASE, PROT_READ | PROT_WRITE, -1);
  map(BASE + PAGE, PROT_READ | PROT_WRITE, -1);
  uint8_t *buf = (uint8_t *)BASE + PAGE - 70;
  EXPECT("seek", seek(fd, 0, SEEK_SET), 0);
  EXPECT("read() across two anonymous mappings", read(fd, buf, HELLO_SIZE), HELLO_SIZE);
  EXPECT("the bytes in both", memcmp(buf, hello, HELLO_SIZE), 0);

  int fds[2];
  EXPECT("pipe", pipe(fds), 0);
  EXPECT("write() from across two mappings", write(fds[1], buf, HELLO_SIZE), HELLO_SIZE);
  char back[HELLO_SIZE];
  EXPECT("read the pipe", read(fds[0], back, sizeof back), HELLO_SIZE);
  EXPECT("the pipe got the bytes", memcmp(back, hello, HELLO_SIZE), 0);
  close(fds[0]);
  close(fds[1]);

  // An anonymous page followed by a private mapping of hello that nothing touched yet:
  // the kernel's copy must load the file page before writing its part.
  map(BASE + 4 * PAGE, PROT_READ | PROT_WRITE, -1);
  uint8_t *file = map(BASE + 5 * PAGE, PROT_READ | PROT_WRITE, fd);
  EXPECT("seek", seek(fd, 0, SEEK_SET), 0);
  EXPECT("read() into anonymous + unloaded file mapping", read(fd, file - 70, HELLO_SIZE),
         HELLO_SIZE);
  EXPECT("the anonymous part", memcmp(file - 70, hello, 70), 0);
  EXPECT("the file part", memcmp(file, hello + 70, 70), 0);
  EXPECT("the rest of the file page is the file", memcmp(file + 70, hello + 70, 70), 0);
  EXPECT("then zeros", first_nonzero(file + HELLO_SIZE, PAGE - HELLO_SIZE), -1);
  close(fd);
  printf("mm_readspan: read() and write() across adjacent mappings\n");
}

static void bad_spans(void) {
  int fd = open_hello();
  uint8_t *before_gap = map(BASE + 16 * PAGE, PROT_READ | PROT_WRITE, -1);  // gap after it
  fails("read() running into a gap", read(fd, before_gap + PAGE - 10, 20));
  EXPECT("the mapped part is unchanged", first_nonzero(before_gap, PAGE), -1);

  uint8_t *rw = map(BASE + 20 * PAGE, PROT_READ | PROT_WRITE, -1);
  uint8_t *ro = map(BASE + 21 * PAGE, PROT_READ, -1);
  EXPECT("seek", seek(fd, 0, SEEK_SET), 0);
  fails("read() running into a read-only mapping", read(fd, rw + PAGE - 10, 20));
  EXPECT("the writable part is unchanged", first_nonzero(rw, PAGE), -1);
  EXPECT("the read-only part is unchanged", first_nonzero(ro, PAGE), -1);
  int fds[2];
  EXPECT("pipe", pipe(fds), 0);
  EXPECT("write() from writable + read-only mappings", write(fds[1], rw + PAGE - 10, 20), 20);
  close(fds[0]);
  close(fds[1]);

  uint8_t *ro_file = map(BASE + 24 * PAGE, PROT_READ, fd);
  EXPECT("seek", seek(fd, 0, SEEK_SET), 0);
  fails("read() into a read-only file mapping", read(fd, ro_file, 10));
  EXPECT("the read-only file mapping is unchanged", memcmp(ro_file, hello, HELLO_SIZE), 0);
  close(fd);
  printf("mm_readspan: read() into gaps and read-only mappings fails\n");
}

int main(void) {
  across_adjacent_mappings();
  bad_spans();
  printf("mm_readspan: ok\n");
  return 0;
}
