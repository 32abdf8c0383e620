// sys_write: writes to `hello2`: they change the file's data for every fd and for later
// opens, never grow the file (clamped at 140 bytes, 0 at or past the end), and respect
// the open mode (EINVAL otherwise). The file gets its original bytes back at the end.
#include <fcntl.h>
#include <string.h>
#include <syscall.h>

#include "check.h"

#define SIZE 140
#define PREFIX "Welcome to KeOS Project!\n\nEven t"

static void expect_contents(const char *want) {
  char buf[SIZE + 10];
  int fd = open("hello2", O_RDONLY);
  CHECK(fd >= 3);
  CHECK_EQ(read(fd, buf, sizeof buf), SIZE);
  CHECK(memcmp(buf, want, SIZE) == 0);
  CHECK_EQ(close(fd), 0);
}

int main(void) {
  char original[SIZE], want[SIZE], buf[SIZE + 10];
  int rw = open("hello2", O_RDWR);
  CHECK_EQ(rw, 3);
  CHECK_EQ(read(rw, original, sizeof original), SIZE);
  CHECK(memcmp(original, PREFIX, 32) == 0);
  memcpy(want, original, SIZE);
  int ro = open("hello2", O_RDONLY);
  int wo = open("hello2", O_WRONLY);
  CHECK_EQ(ro, 4);
  CHECK_EQ(wo, 5);

  // The mode is enforced, and a refused call moves no offset.
  CHECK_ERR(write(ro, "X", 1), EINVAL);
  CHECK_ERR(read(wo, buf, 1), EINVAL);
  CHECK_EQ(tell(ro), 0);
  CHECK_EQ(tell(wo), 0);

  // A write in the middle: seen through the other fds, whose offsets stay.
  CHECK_EQ(seek(wo, 8, SEEK_SET), 8);
  CHECK_EQ(write(wo, "KAIST", 5), 5);
  memcpy(want + 8, "KAIST", 5);
  CHECK_EQ(tell(wo), 13);
  CHECK_EQ(tell(ro), 0);
  CHECK_EQ(read(ro, buf, sizeof buf), SIZE);
  CHECK(memcmp(buf, want, SIZE) == 0);
  CHECK_EQ(seek(rw, 0, SEEK_SET), 0);
  CHECK_EQ(read(rw, buf, 20), 20);
  CHECK(memcmp(buf, "Welcome KAISTOS Proj", 20) == 0);

  // O_RDWR reads and writes at one offset.
  CHECK_EQ(write(rw, "<rw>", 4), 4);
  memcpy(want + 20, "<rw>", 4);
  CHECK_EQ(read(rw, buf, 2), 2);
  CHECK(memcmp(buf, want + 24, 2) == 0);
  CHECK_EQ(tell(rw), 26);

  // Writes stop at the end of the file: clamped, then 0, also far past the end.
  CHECK_EQ(seek(wo, SIZE - 4, SEEK_SET), SIZE - 4);
  CHECK_EQ(write(wo, "0123456789", 10), 4);
  memcpy(want + SIZE - 4, "0123", 4);
  CHECK_EQ(tell(wo), SIZE);
  CHECK_EQ(write(wo, "x", 1), 0);
  CHECK_EQ(tell(wo), SIZE);
  CHECK_EQ(seek(wo, 4096, SEEK_SET), 4096);
  CHECK_EQ(write(wo, "far", 3), 0);
  CHECK_EQ(seek(wo, 0, SEEK_END), SIZE);  // the file did not grow
  CHECK_EQ(write(wo, buf, 0), 0);

  // A write of more than a page, from the start: clamped to the file.
  static char big[5000];
  memset(big, '#', sizeof big);
  CHECK_EQ(seek(rw, 0, SEEK_SET), 0);
  CHECK_EQ(write(rw, big, sizeof big), SIZE);
  CHECK_EQ(seek(rw, 0, SEEK_END), SIZE);
  memset(want, '#', SIZE);

  // A later open in this boot sees the new data; `hello` and `hello3` did not change.
  expect_contents(want);
  static const char *const kOthers[] = {"hello", "hello3"};
  for (int i = 0; i < 2; i++) {
    int f = open(kOthers[i], O_RDONLY);
    CHECK_EQ(f, 6);
    CHECK_EQ(read(f, buf, sizeof buf), SIZE);
    CHECK(memcmp(buf, original, SIZE) == 0);
    CHECK_EQ(close(f), 0);
  }

  // Put the original bytes back and check them through a new open.
  CHECK_EQ(seek(rw, 0, SEEK_SET), 0);
  CHECK_EQ(write(rw, original, SIZE), SIZE);
  expect_contents(original);
  CHECK_EQ(close(rw), 0);
  CHECK_EQ(close(ro), 0);
  CHECK_EQ(close(wo), 0);
  CHECK_ERR(close(wo), EBADF);
  printf("sys_write: ok\n");
  return 0;
}
