// sys_fd_errors: descriptors that are not open (EBADF for read, write, seek, tell and
// close), and buffers that are NULL or kernel memory (EFAULT, also for zero-length
// requests), while zero-length requests with a valid buffer succeed with 0.
#include <fcntl.h>
#include <limits.h>
#include <mman.h>
#include <syscall.h>

#include "check.h"

#define KERNEL ((void *)0xffff800000000000ul)
#define KERNEL_IMAGE ((void *)0xffffff0000100000ul)

static void expect_bad_fd(int fd) {
  char buf[8] = "abcdefg";
  CHECK_ERR(read(fd, buf, 1), EBADF);
  CHECK_ERR(read(fd, buf, 0), EBADF);
  CHECK_ERR(write(fd, buf, 1), EBADF);
  CHECK_ERR(write(fd, buf, 0), EBADF);
  CHECK_ERR(seek(fd, 0, SEEK_SET), EBADF);
  CHECK_ERR(tell(fd), EBADF);
  CHECK_ERR(close(fd), EBADF);
  // A file mapping needs an open regular file (fd -1 asks for anonymous memory).
  if (fd != -1) CHECK_IS_ERR(mmap((void *)0x30000000, 4096, PROT_READ, fd, 0));
  // Errors in two arguments: some error either way.
  CHECK_IS_ERR(read(fd, 0, 1));
  CHECK_IS_ERR(write(fd, KERNEL, 1));
}

int main(void) {
  static const int kBadFds[] = {-1,   -2,   -3,   -1024, 3,       4,      100,
                                1023, 1024, 1025, 4096,  INT_MAX, INT_MIN};
  for (unsigned i = 0; i < sizeof kBadFds / sizeof kBadFds[0]; i++) expect_bad_fd(kBadFds[i]);

  // A descriptor that was open and is closed.
  int fd = open("hello", O_RDONLY);
  CHECK_EQ(fd, 3);
  CHECK_EQ(close(fd), 0);
  expect_bad_fd(fd);

  int rd = open("hello", O_RDONLY), rw = open("hello3", O_RDWR);
  CHECK_EQ(rd, 3);
  CHECK_EQ(rw, 4);
  char buf[16];

  // NULL and kernel buffers: EFAULT whatever the length, and nothing moves.
  void *const kBad[] = {0, KERNEL, KERNEL_IMAGE};
  for (int i = 0; i < 3; i++) {
    for (int len = 0; len <= 16; len += 16) {
      CHECK_ERR(read(rd, kBad[i], len), EFAULT);
      CHECK_ERR(read(rw, kBad[i], len), EFAULT);
      CHECK_ERR(read(0, kBad[i], len), EFAULT);
      CHECK_ERR(write(rw, kBad[i], len), EFAULT);
      CHECK_ERR(write(1, kBad[i], len), EFAULT);
      CHECK_ERR(write(2, kBad[i], len), EFAULT);
    }
  }
  CHECK_EQ(tell(rd), 0);
  CHECK_EQ(tell(rw), 0);

  // Zero-length requests with a valid buffer succeed and move nothing.
  CHECK_EQ(write(1, buf, 0), 0);
  CHECK_EQ(write(2, buf, 0), 0);
  CHECK_EQ(write(rw, buf, 0), 0);
  CHECK_EQ(read(rd, buf, 0), 0);
  CHECK_EQ(read(rw, buf, 0), 0);
  CHECK_EQ(read(0, buf, 0), 0);
  CHECK_EQ(tell(rd), 0);
  CHECK_EQ(tell(rw), 0);
  // At the end of the file too.
  CHECK_EQ(seek(rd, 0, SEEK_END), 140);
  CHECK_EQ(read(rd, buf, 0), 0);
  CHECK_EQ(read(rd, buf, 16), 0);

  // The descriptors still work after all those errors.
  CHECK_EQ(seek(rd, 0, SEEK_SET), 0);
  CHECK_EQ(read(rd, buf, 7), 7);
  CHECK_EQ(buf[0], 'W');
  CHECK_EQ(close(rd), 0);
  CHECK_EQ(close(rw), 0);
  printf("sys_fd_errors: ok\n");
  return 0;
}
