// sys_open_many: at most 1024 open files (fds 0 .. 1023): open fails with EMFILE when the
// table is full, a pipe needs two free fds and takes none if it cannot have both, and
// every file is closed again.
#include <fcntl.h>
#include <syscall.h>

#include "check.h"

#define MAX_FILES 1024

int main(void) {
  int opened = 0;
  long fd;
  while ((fd = open("hello", O_RDONLY)) >= 0) {
    CHECK_EQ(fd, 3 + opened);
    opened++;
    CHECK(opened <= MAX_FILES);
  }
  CHECK_ERR(fd, EMFILE);
  printf("opened %d files\n", opened);
  CHECK_EQ(opened, MAX_FILES - 3);
  CHECK_ERR(open("hello2", O_RDWR), EMFILE);

  // A full table has no room for a pipe, and the fds array is left alone.
  int fds[2] = {-7, -7};
  CHECK_ERR(pipe(fds), EMFILE);
  CHECK_EQ(fds[0], -7);
  CHECK_EQ(fds[1], -7);
  // One free slot is not enough either; the half-made pipe must not keep it.
  CHECK_EQ(close(500), 0);
  CHECK_ERR(pipe(fds), EMFILE);
  CHECK_EQ(fds[0], -7);
  CHECK_EQ(open("hello", O_RDONLY), 500);

  // Every one of them is a working file with its own offset.
  char c;
  CHECK_EQ(read(MAX_FILES - 1, &c, 1), 1);
  CHECK_EQ(c, 'W');
  CHECK_EQ(read(3, &c, 1), 1);
  CHECK_EQ(c, 'W');
  CHECK_EQ(read(MAX_FILES - 1, &c, 1), 1);
  CHECK_EQ(c, 'e');
  CHECK_ERR(read(MAX_FILES, &c, 1), EBADF);

  for (int i = 3; i < MAX_FILES; i++) CHECK_EQ(close(i), 0);
  CHECK_ERR(close(3), EBADF);
  CHECK_ERR(close(MAX_FILES - 1), EBADF);
  // With every file closed, there is room again.
  CHECK_EQ(pipe(fds), 0);
  CHECK_EQ(fds[0], 3);
  CHECK_EQ(fds[1], 4);
  CHECK_EQ(close(3), 0);
  CHECK_EQ(close(4), 0);
  CHECK_EQ(open("hello", O_RDONLY), 3);
  CHECK_EQ(close(3), 0);
  printf("closed them all\n");
  return 0;
}
