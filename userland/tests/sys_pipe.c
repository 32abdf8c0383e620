// sys_pipe: one process holding both ends of its pipes (no fork). pipe() stores two
// 32-bit fds, read end first, and returns 0; bytes come out in order, reads may be
// partial; each end goes one way only (EINVAL); once the write end is closed and the
// pipe drained, reads fail with EPIPE; a bad fds pointer is EFAULT and takes no fd.
#include <fcntl.h>
#include <mman.h>
#include <stdint.h>
#include <string.h>
#include <syscall.h>

#include "check.h"

#define SCRATCH 0x30000000ul
#define BIG 60000  // less than a pipe holds: the writer never waits for a reader

static unsigned char big_in[BIG], big_out[BIG];

// The bytes of a pipe come back exactly, through many partial reads.
static void big_round_trip(int rd, int wr) {
  for (int i = 0; i < BIG; i++) big_in[i] = (unsigned char)(i * 7 + i / 251);
  CHECK_EQ(write(wr, big_in, BIG), BIG);
  long got = 0;
  int reads = 0;
  while (got < BIG) {
    long n = read(rd, big_out + got, BIG - got);
    CHECK(n > 0);
    got += n;
    reads++;
  }
  CHECK_EQ(got, BIG);
  CHECK(memcmp(big_in, big_out, BIG) == 0);
  CHECK(reads >= 1);
}

int main(void) {
  // Exactly two ints are written: the neighbours keep their values.
  int fds[4] = {-7, -7, 0x5a5a5a5a, 0x5a5a5a5a};
  CHECK_EQ(pipe(fds), 0);
  CHECK_EQ(fds[0], 3);
  CHECK_EQ(fds[1], 4);
  CHECK_EQ(fds[2], 0x5a5a5a5a);
  int rd = fds[0], wr = fds[1];

  // A round trip, read back in pieces.
  char buf[64];
  CHECK_EQ(write(wr, "hello, pipe", 11), 11);
  CHECK_EQ(read(rd, buf, 5), 5);
  CHECK(memcmp(buf, "hello", 5) == 0);
  CHECK_EQ(write(wr, "!!", 2), 2);
  CHECK_EQ(read(rd, buf, sizeof buf), 8);  // a partial read: what is queued
  CHECK(memcmp(buf, ", pipe!!", 8) == 0);
  CHECK_EQ(write(wr, buf, 0), 0);
  CHECK_EQ(read(rd, buf, 0), 0);

  // Each end goes one way; neither seeks.
  CHECK_ERR(read(wr, buf, 1), EINVAL);
  CHECK_ERR(write(rd, "x", 1), EINVAL);
  CHECK_IS_ERR(seek(rd, 0, SEEK_SET));
  CHECK_IS_ERR(seek(wr, 0, SEEK_CUR));
  CHECK_IS_ERR(tell(rd));
  CHECK_IS_ERR(tell(wr));
  // Nor is either end a file that can be mapped.
  CHECK_IS_ERR(mmap((void *)SCRATCH, 4096, PROT_READ, rd, 0));
  CHECK_IS_ERR(mmap((void *)SCRATCH, 4096, PROT_READ, wr, 0));

  big_round_trip(rd, wr);

  // Two pipes are independent, and take the lowest free fds.
  int other[2];
  CHECK_EQ(pipe(other), 0);
  CHECK_EQ(other[0], 5);
  CHECK_EQ(other[1], 6);
  CHECK_EQ(write(other[1], "second", 6), 6);
  CHECK_EQ(write(wr, "first", 5), 5);
  CHECK_EQ(read(other[0], buf, sizeof buf), 6);
  CHECK(memcmp(buf, "second", 6) == 0);
  CHECK_EQ(read(rd, buf, sizeof buf), 5);
  CHECK(memcmp(buf, "first", 5) == 0);

  // The write end closes: what is queued still comes out, then EPIPE for ever.
  CHECK_EQ(write(wr, "tail", 4), 4);
  CHECK_EQ(close(wr), 0);
  CHECK_ERR(write(wr, "x", 1), EBADF);
  CHECK_EQ(read(rd, buf, 2), 2);
  CHECK_EQ(read(rd, buf + 2, sizeof buf), 2);
  CHECK(memcmp(buf, "tail", 4) == 0);
  CHECK_ERR(read(rd, buf, sizeof buf), EPIPE);
  CHECK_ERR(read(rd, buf, 1), EPIPE);
  CHECK_EQ(close(rd), 0);

  // The read end closes first: writing has no reader any more.
  CHECK_EQ(close(other[0]), 0);
  CHECK_IS_ERR(write(other[1], "lost", 4));
  CHECK_EQ(close(other[1]), 0);

  // A bad fds pointer: EFAULT, and no fd is taken.
  static const uintptr_t kBad[] = {0,
                                   1,
                                   0x400000,
                                   0x10000000,
                                   0x47480000,
                                   0x0000800000000000,
                                   0xffff800000000000,
                                   0xffffff0000100000,
                                   0xfffffffffffffff8};
  for (unsigned i = 0; i < sizeof kBad / sizeof kBad[0]; i++) {
    CHECK_ERR(pipe((int *)kBad[i]), EFAULT);
  }
  // Read-only memory (this program's text), and an array running off its mapping.
  CHECK_ERR(pipe((int *)(uintptr_t)main), EFAULT);
  char *page = mmap((void *)SCRATCH, 4096, PROT_READ | PROT_WRITE, -1, 0);
  CHECK_EQ(page, SCRATCH);
  CHECK_ERR(pipe((int *)(page + 4096 - 4)), EFAULT);
  CHECK_EQ(pipe((int *)(page + 4096 - 8)), 0);  // the last 8 bytes fit
  CHECK_EQ(((int *)(page + 4096 - 8))[0], 3);
  CHECK_EQ(((int *)(page + 4096 - 8))[1], 4);
  CHECK_EQ(close(3), 0);
  CHECK_EQ(close(4), 0);
  CHECK_EQ(munmap(page), 0);
  CHECK_EQ(open("hello", O_RDONLY), 3);
  CHECK_EQ(close(3), 0);

  // Pipes come and go without using up anything.
  for (int i = 0; i < 200; i++) {
    CHECK_EQ(pipe(fds), 0);
    CHECK_EQ(fds[0], 3);
    CHECK_EQ(fds[1], 4);
    CHECK_EQ(write(fds[1], &i, sizeof i), sizeof i);
    int back = -1;
    CHECK_EQ(read(fds[0], &back, sizeof back), sizeof back);
    CHECK_EQ(back, i);
    CHECK_EQ(close(fds[i % 2]), 0);
    CHECK_EQ(close(fds[1 - i % 2]), 0);
  }
  printf("sys_pipe: ok\n");
  return 0;
}
