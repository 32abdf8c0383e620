// sys_stdio: the three standard descriptors. fd 0 reads the canned standard input to its
// end (then 0 for ever) and cannot be written; fds 1 and 2 write and cannot be read;
// none of them can seek or tell (EINVAL). Closing them works, and a new open still
// returns the lowest free fd >= 3, never 0, 1 or 2.
//
// Output: the input echoed unchanged, then "[N bytes in M reads]". After stdout is
// closed, a broken rule ends the program with an exit code from 10 up instead.
#include <fcntl.h>
#include <string.h>
#include <syscall.h>

#include "check.h"

#define CHUNK 7

// For checks after close(1): no output is possible, the exit code tells the step.
#define LATE_CHECK(cond, code) \
  do {                         \
    if (!(cond)) exit(code);   \
  } while (0)

int main(void) {
  char buf[CHUNK];
  long total = 0, reads = 0, n;
  while ((n = read(0, buf, CHUNK)) > 0) {
    CHECK(n <= CHUNK);
    CHECK_EQ(write(1, buf, n), n);
    total += n;
    reads++;
  }
  CHECK_EQ(n, 0);
  CHECK_EQ(read(0, buf, CHUNK), 0);
  CHECK_EQ(read(0, buf, 0), 0);

  // Each standard descriptor goes one way only.
  CHECK_ERR(write(0, "x", 1), EINVAL);
  CHECK_ERR(read(1, buf, 1), EINVAL);
  CHECK_ERR(read(2, buf, 1), EINVAL);
  CHECK_EQ(write(2, "to stderr\n", 10), 10);  // not part of the captured stdout
  for (int fd = 0; fd <= 2; fd++) {
    CHECK_ERR(seek(fd, 0, SEEK_SET), EINVAL);
    CHECK_ERR(seek(fd, 0, SEEK_CUR), EINVAL);
    CHECK_ERR(seek(fd, 5, SEEK_END), EINVAL);
    CHECK_ERR(tell(fd), EINVAL);
  }
  printf("[%ld bytes in %ld reads]\n", total, reads);

  // Closing the standard descriptors: their numbers are not handed out again.
  CHECK_EQ(close(0), 0);
  CHECK_ERR(read(0, buf, 1), EBADF);
  CHECK_ERR(close(0), EBADF);
  CHECK_EQ(open("hello", O_RDONLY), 3);
  CHECK_EQ(close(1), 0);
  LATE_CHECK(write(1, "x", 1) == -EBADF, 10);
  LATE_CHECK(close(1) == -EBADF, 11);
  LATE_CHECK(open("hello", O_RDONLY) == 4, 12);
  LATE_CHECK(write(2, "stderr still open\n", 18) == 18, 13);
  LATE_CHECK(close(2) == 0, 14);
  LATE_CHECK(write(2, "x", 1) == -EBADF, 15);
  LATE_CHECK(open("hello", O_RDONLY) == 5, 16);
  LATE_CHECK(close(3) == 0 && close(4) == 0 && close(5) == 0, 17);
  LATE_CHECK(open("hello", O_RDONLY) == 3, 18);
  return 0;
}
