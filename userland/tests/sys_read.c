// sys_read: read, seek and tell on `hello` (140 bytes): reads clamp at the end and then
// return 0, seek moves from the start, the offset or the end and may pass the end, a
// negative result is an error that leaves the offset alone, and two fds of one file have
// their own offsets. Reads into memory the process has not touched yet fault it in, and
// a buffer may span two adjacent mappings.
#include <fcntl.h>
#include <limits.h>
#include <mman.h>
#include <string.h>
#include <syscall.h>

#include "check.h"

#define SIZE 140
#define PREFIX "Welcome to KeOS Project!\n\nEven t"
#define FRESH 0x30000000ul  // two anonymous pages, never touched before the read

static char untouched_bss[3 * 4096];

int main(void) {
  char whole[SIZE], buf[300];
  int fd = open("hello", O_RDONLY);
  CHECK_EQ(fd, 3);
  CHECK_EQ(tell(fd), 0);

  // Sequential reads, clamped at the end, then 0 for ever.
  CHECK_EQ(read(fd, buf, 32), 32);
  CHECK(memcmp(buf, PREFIX, 32) == 0);
  CHECK_EQ(tell(fd), 32);
  CHECK_EQ(read(fd, buf + 32, 200), SIZE - 32);
  CHECK_EQ(tell(fd), SIZE);
  memcpy(whole, buf, SIZE);
  CHECK(whole[SIZE - 1] != '\n');
  CHECK_EQ(read(fd, buf, 200), 0);
  CHECK_EQ(read(fd, buf, 1), 0);
  CHECK_EQ(tell(fd), SIZE);

  // SEEK_SET, then one read of exactly the file, and one much larger than a page.
  CHECK_EQ(seek(fd, 0, SEEK_SET), 0);
  CHECK_EQ(read(fd, buf, SIZE), SIZE);
  CHECK(memcmp(buf, whole, SIZE) == 0);
  static char big[3 * 4096 + 17];
  CHECK_EQ(seek(fd, 5, SEEK_SET), 5);
  CHECK_EQ(read(fd, big, sizeof big), SIZE - 5);
  CHECK(memcmp(big, whole + 5, SIZE - 5) == 0);

  // SEEK_END and SEEK_CUR, forwards and backwards.
  CHECK_EQ(seek(fd, 0, SEEK_END), SIZE);
  CHECK_EQ(seek(fd, -10, SEEK_END), SIZE - 10);
  CHECK_EQ(read(fd, buf, 100), 10);
  CHECK(memcmp(buf, whole + SIZE - 10, 10) == 0);
  CHECK_EQ(seek(fd, -20, SEEK_CUR), SIZE - 20);
  CHECK_EQ(seek(fd, 0, SEEK_CUR), SIZE - 20);
  CHECK_EQ(seek(fd, 7, SEEK_CUR), SIZE - 13);
  CHECK_EQ(tell(fd), SIZE - 13);
  CHECK_EQ(read(fd, buf, 3), 3);
  CHECK(memcmp(buf, whole + SIZE - 13, 3) == 0);
  CHECK_EQ(seek(fd, -(SIZE - 10), SEEK_CUR), 0);

  // Past the end: allowed; reads there return 0 and leave the offset.
  CHECK_EQ(seek(fd, 1000, SEEK_SET), 1000);
  CHECK_EQ(tell(fd), 1000);
  CHECK_EQ(read(fd, buf, 10), 0);
  CHECK_EQ(tell(fd), 1000);
  CHECK_EQ(seek(fd, 5, SEEK_END), SIZE + 5);
  CHECK_EQ(seek(fd, 1, SEEK_CUR), SIZE + 6);
  CHECK_EQ(seek(fd, SIZE, SEEK_SET), SIZE);
  CHECK_EQ(read(fd, buf, 10), 0);

  // A negative result, an overflowing one, or an unknown whence fails and keeps the offset.
  CHECK_EQ(seek(fd, 17, SEEK_SET), 17);
  CHECK_IS_ERR(seek(fd, -1, SEEK_SET));
  CHECK_IS_ERR(seek(fd, -18, SEEK_CUR));
  CHECK_IS_ERR(seek(fd, -(SIZE + 1), SEEK_END));
  CHECK_IS_ERR(seek(fd, LONG_MIN, SEEK_SET));
  CHECK_IS_ERR(seek(fd, LONG_MAX, SEEK_CUR));
  CHECK_IS_ERR(seek(fd, LONG_MAX, SEEK_END));
  CHECK_ERR(seek(fd, 0, 3), EINVAL);
  CHECK_ERR(seek(fd, 0, -1), EINVAL);
  CHECK_EQ(tell(fd), 17);
  CHECK_EQ(read(fd, buf, 1), 1);
  CHECK_EQ(buf[0], whole[17]);

  // Two fds of one file: same data, separate offsets.
  int other = open("hello", O_RDONLY);
  CHECK_EQ(other, 4);
  CHECK_EQ(tell(other), 0);
  CHECK_EQ(seek(fd, 100, SEEK_SET), 100);
  CHECK_EQ(read(other, buf, 10), 10);
  CHECK(memcmp(buf, whole, 10) == 0);
  CHECK_EQ(tell(fd), 100);
  CHECK_EQ(tell(other), 10);
  CHECK_EQ(read(fd, buf, 10), 10);
  CHECK(memcmp(buf, whole + 100, 10) == 0);
  CHECK_EQ(tell(other), 10);
  CHECK_EQ(close(other), 0);
  CHECK_EQ(tell(fd), 110);

  // The kernel writes into pages the process has not touched yet: a fresh anonymous
  // mapping (across its two pages) and the bss.
  char *fresh = mmap((void *)FRESH, 2 * 4096, PROT_READ | PROT_WRITE, -1, 0);
  CHECK_EQ(fresh, FRESH);
  CHECK_EQ(seek(fd, 0, SEEK_SET), 0);
  CHECK_EQ(read(fd, fresh + 4096 - 70, SIZE), SIZE);
  CHECK(memcmp(fresh + 4096 - 70, whole, SIZE) == 0);
  CHECK_EQ(fresh[4096 - 71], 0);
  CHECK_EQ(fresh[4096 + 70], 0);
  CHECK_EQ(munmap(fresh), 0);
  // A buffer across two separate, adjacent mappings is one valid buffer.
  char *low = mmap((void *)FRESH, 4096, PROT_READ | PROT_WRITE, -1, 0);
  char *high = mmap((void *)(FRESH + 4096), 4096, PROT_READ | PROT_WRITE, -1, 0);
  CHECK_EQ(low, FRESH);
  CHECK_EQ(high, FRESH + 4096);
  CHECK_EQ(seek(fd, 0, SEEK_SET), 0);
  CHECK_EQ(read(fd, high - 100, SIZE), SIZE);
  CHECK(memcmp(high - 100, whole, SIZE) == 0);
  CHECK_EQ(write(1, high - 100, 0), 0);
  CHECK_EQ(munmap(low), 0);
  CHECK_EQ(munmap(high), 0);
  CHECK_EQ(seek(fd, 0, SEEK_SET), 0);
  CHECK_EQ(read(fd, untouched_bss + 2 * 4096 - 1, SIZE), SIZE);
  CHECK(memcmp(untouched_bss + 2 * 4096 - 1, whole, SIZE) == 0);

  // The other two files hold the same 140 bytes.
  static const char *const kFiles[] = {"hello2", "hello3"};
  for (int i = 0; i < 2; i++) {
    int f = open(kFiles[i], O_RDONLY);
    CHECK_EQ(f, 4);
    CHECK_EQ(read(f, buf, sizeof buf), SIZE);
    CHECK(memcmp(buf, whole, SIZE) == 0);
    CHECK_EQ(close(f), 0);
  }

  CHECK_EQ(close(fd), 0);
  CHECK_ERR(tell(fd), EBADF);
  printf("%.32s", whole);
  printf("|\n");
  return 0;
}
