// sys_open: open() and close(): the lowest free descriptor >= 3, the three flags, missing
// files, and paths that are not readable user strings (EFAULT).
#include <fcntl.h>
#include <mman.h>
#include <string.h>
#include <syscall.h>

#include "check.h"

#define SCRATCH 0x30000000ul  // an anonymous page here, the next one unmapped

static const char *const kBadPaths[] = {
    (const char *)0,                   // NULL
    (const char *)1,                   // page 0
    (const char *)0x400000,            // nothing is mapped at 0x400000
    (const char *)0x10000000,          // unmapped user memory
    (const char *)0x4746ffff,          // just below the stack
    (const char *)0x47480000,          // just above the stack
    (const char *)0x00007ffffffff000,  // the last user page
    (const char *)0x0000800000000000,  // the first non-canonical address
    (const char *)0x8000000000000000,  // non-canonical
    (const char *)0xffff800000000000,  // the first kernel address
    (const char *)0xffffff0000000000,  // the kernel's direct map (physical 0)
    (const char *)0xffffff0000100000,  // the kernel image
    (const char *)0xffffffffffffffff,  // the very last byte
};

int main(void) {
  // The first open is fd 3; later ones take the lowest free fd >= 3.
  CHECK_EQ(open("hello", O_RDONLY), 3);
  CHECK_EQ(open("hello", O_RDONLY), 4);
  CHECK_EQ(open("hello2", O_WRONLY), 5);
  CHECK_EQ(open("hello3", O_RDWR), 6);
  CHECK_EQ(close(4), 0);
  CHECK_EQ(open("hello3", O_RDONLY), 4);
  CHECK_EQ(close(3), 0);
  CHECK_EQ(close(5), 0);
  CHECK_EQ(open("hello", O_RDWR), 3);
  CHECK_EQ(open("hello", O_WRONLY), 5);
  CHECK_EQ(open("hello", O_RDONLY), 7);
  for (int fd = 3; fd <= 7; fd++) CHECK_EQ(close(fd), 0);
  // Closing twice, or closing what was never open, is EBADF.
  CHECK_ERR(close(3), EBADF);
  CHECK_ERR(close(7), EBADF);
  CHECK_ERR(close(8), EBADF);

  // Flags other than O_RDONLY, O_WRONLY and O_RDWR.
  static const int kBadFlags[] = {3, 4, -1, 0x40, 0x41, 0x200, 0x400, 0x80000, 0x7fffffff};
  for (unsigned i = 0; i < sizeof kBadFlags / sizeof kBadFlags[0]; i++) {
    CHECK_ERR(open("hello", kBadFlags[i]), EINVAL);
  }

  // Files that do not exist.
  static const char *const kMissing[] = {"no_such_file", "",       "hello4", "Hello",
                                         "hell",         "hello ", "/hello", "hello/"};
  for (unsigned i = 0; i < sizeof kMissing / sizeof kMissing[0]; i++) {
    CHECK_ERR(open(kMissing[i], O_RDONLY), ENOENT);
  }

  // Paths the process cannot read.
  for (unsigned i = 0; i < sizeof kBadPaths / sizeof kBadPaths[0]; i++) {
    CHECK_ERR(open(kBadPaths[i], O_RDONLY), EFAULT);
  }
  // A name that runs off the end of a mapping into unmapped memory, and the same name
  // with its NUL (which works). The page is fresh: the kernel faults it in.
  char *page = mmap((void *)SCRATCH, 4096, PROT_READ | PROT_WRITE, -1, 0);
  CHECK_EQ(page, SCRATCH);
  memcpy(page + 4096 - 5, "hello", 5);
  CHECK_ERR(open(page + 4096 - 5, O_RDONLY), EFAULT);
  memcpy(page + 4096 - 6, "hello", 6);
  CHECK_EQ(open(page + 4096 - 6, O_RDONLY), 3);
  CHECK_EQ(close(3), 0);
  CHECK_EQ(munmap(page), 0);
  // The same address now unmapped.
  CHECK_ERR(open(page + 4096 - 6, O_RDONLY), EFAULT);

  // A name far longer than any file's.
  char long_name[600];
  memset(long_name, 'a', sizeof long_name - 1);
  long_name[sizeof long_name - 1] = '\0';
  CHECK_IS_ERR(open(long_name, O_RDONLY));

  // None of the failures took a descriptor.
  CHECK_EQ(open("hello", O_RDONLY), 3);
  CHECK_EQ(close(3), 0);
  printf("sys_open: ok\n");
  return 0;
}
