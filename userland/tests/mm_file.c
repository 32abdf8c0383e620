// mm_file: private file mappings. A page holds the file's bytes from the mapping's
// offset and zeros after the end of the file (a mapping at an offset past the end is all
// zeros); writes to a writable file mapping stay in that mapping and never reach the file
// (a later open + read, and any other mapping, still see the original bytes); a mapping
// outlives the fd it was made from.
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
#define HELLO_PREFIX "Welcome to KeOS Project!\n\nEven t"

static long first_nonzero(const volatile uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != 0) return (long)i;
  }
  return -1;
}

static int open_file(const char *name) {
  int fd = open(name, O_RDONLY);
  EXPECT_TRUE("open", fd >= 3);
  return fd;
}

static char hello[HELLO_SIZE];  // the file as read() gives it

static void read_hello(void) {
  int fd = open_file("hello");
  EXPECT("read hello", read(fd, hello, sizeof hello), HELLO_SIZE);
  EXPECT("hello ends at 140 bytes", read(fd, hello, 1), 0);
  EXPECT("hello's prefix", memcmp(hello, HELLO_PREFIX, 32), 0);
  close(fd);
}

static void file_then_zeros(void) {
  int fd = open_file("hello");
  const uint8_t *p = mmap((void *)BASE, 2 * PAGE, PROT_READ, fd, 0);
  EXPECT("mmap of hello", (long)p, (long)BASE);
  EXPECT("the mapping holds the file", memcmp(p, hello, HELLO_SIZE), 0);
  EXPECT("zeros after the end of the file", first_nonzero(p + HELLO_SIZE, PAGE - HELLO_SIZE), -1);
  EXPECT("the second page is all zeros", first_nonzero(p + PAGE, PAGE), -1);
  const uint8_t *past = mmap((void *)(BASE + 4 * PAGE), PAGE, PROT_READ, fd, PAGE);
  EXPECT("mmap at an offset past the end of the file", (long)past, (long)(BASE + 4 * PAGE));
  EXPECT("a mapping past the end of the file is zeros", first_nonzero(past, PAGE), -1);
  const uint8_t *far = mmap((void *)(BASE + 5 * PAGE), PAGE, PROT_READ, fd, 256 * PAGE);
  EXPECT("mmap at offset 1 MiB", (long)far, (long)(BASE + 5 * PAGE));
  EXPECT("a mapping far past the end is zeros", first_nonzero(far, PAGE), -1);
  close(fd);
  printf("mm_file: hello mapped: 140 file bytes, then zeros\n");
}

// The program's own executable is a file of several pages: a mapping at an offset holds
// the bytes read() finds at that offset, and the last page ends with zeros.
static void offsets(void) {
  static uint8_t want[2 * PAGE];
  int fd = open_file("mm_file");
  long size = seek(fd, 0, SEEK_END);
  EXPECT_TRUE("mm_file is longer than 3 pages", size > (long)(3 * PAGE));

  const uint8_t *head = mmap((void *)(BASE + 16 * PAGE), PAGE, PROT_READ, fd, 0);
  EXPECT("mmap at offset 0", (long)head, (long)(BASE + 16 * PAGE));
  EXPECT("an ELF file starts with \\x7fELF", memcmp(head, "\x7f" "ELF", 4), 0);

  const uint8_t *mid = mmap((void *)(BASE + 20 * PAGE), 2 * PAGE, PROT_READ, fd, PAGE);
  EXPECT("mmap at offset 4096", (long)mid, (long)(BASE + 20 * PAGE));
  EXPECT("seek to 4096", seek(fd, PAGE, SEEK_SET), (long)PAGE);
  EXPECT("read 2 pages at 4096", read(fd, want, 2 * PAGE), (long)(2 * PAGE));
  EXPECT("the mapping at 4096 equals the file at 4096", memcmp(mid, want, 2 * PAGE), 0);

  long last = size & ~(long)(PAGE - 1);
  long tail = size - last;
  const uint8_t *end = mmap((void *)(BASE + 24 * PAGE), PAGE, PROT_READ, fd, last);
  EXPECT("mmap of the last page", (long)end, (long)(BASE + 24 * PAGE));
  EXPECT("seek to the last page", seek(fd, last, SEEK_SET), last);
  EXPECT("read the last page", read(fd, want, PAGE), tail);
  EXPECT("the last page holds the file's tail", memcmp(end, want, tail), 0);
  EXPECT("then zeros", first_nonzero(end + tail, PAGE - tail), -1);
  close(fd);
  printf("mm_file: mappings at offsets match read()\n");
}

static void private_writes(void) {
  int fd = open_file("hello");
  const uint8_t *ro = mmap((void *)(BASE + 32 * PAGE), PAGE, PROT_READ, fd, 0);
  uint8_t *rw = mmap((void *)(BASE + 33 * PAGE), PAGE, PROT_READ | PROT_WRITE, fd, 0);
  EXPECT("read-only mapping of hello", (long)ro, (long)(BASE + 32 * PAGE));
  EXPECT("writable mapping of hello", (long)rw, (long)(BASE + 33 * PAGE));
  EXPECT("the writable mapping starts as the file", memcmp(rw, hello, HELLO_SIZE), 0);
  memset(rw, 'X', 32);
  rw[PAGE - 1] = 'Y';
  EXPECT("the writer sees its write", rw[0], 'X');
  EXPECT("the writer keeps the rest of the file", memcmp(rw + 32, hello + 32, HELLO_SIZE - 32), 0);
  EXPECT("the other mapping is untouched", memcmp(ro, hello, HELLO_SIZE), 0);

  const uint8_t *later = mmap((void *)(BASE + 34 * PAGE), PAGE, PROT_READ, fd, 0);
  EXPECT("a later mapping of hello", (long)later, (long)(BASE + 34 * PAGE));
  EXPECT("a later mapping sees the original file", memcmp(later, hello, HELLO_SIZE), 0);
  EXPECT("munmap of the written mapping", munmap(rw), 0);

  char again[HELLO_SIZE];
  int fd2 = open_file("hello");
  EXPECT("read hello again", read(fd2, again, sizeof again), HELLO_SIZE);
  EXPECT("the file was not written", memcmp(again, hello, HELLO_SIZE), 0);
  char through_fd[HELLO_SIZE];
  EXPECT("seek the mapped fd", seek(fd, 0, SEEK_SET), 0);
  EXPECT("read the mapped fd", read(fd, through_fd, sizeof through_fd), HELLO_SIZE);
  EXPECT("the mapped fd reads the original", memcmp(through_fd, hello, HELLO_SIZE), 0);
  close(fd2);
  close(fd);
  printf("mm_file: writes to a private mapping never reach the file\n");
}

static void outlives_fd(void) {
  int fd = open_file("hello");
  const uint8_t *p = mmap((void *)(BASE + 40 * PAGE), PAGE, PROT_READ, fd, 0);
  EXPECT("mmap before close", (long)p, (long)(BASE + 40 * PAGE));
  EXPECT("close the mapped fd", close(fd), 0);
  EXPECT("the page is loaded after the close", memcmp(p, hello, HELLO_SIZE), 0);
  printf("mm_file: a mapping outlives its fd\n");
}

int main(void) {
  read_hello();
  file_then_zeros();
  offsets();
  private_writes();
  outlives_fd();
  printf("mm_file: ok\n");
  return 0;
}
