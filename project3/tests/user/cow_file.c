// cow_file: a writable private mapping of a file is shared by fork; the first write gives
// the writer its own copy while the other process still sees the file's bytes. Two
// mappings of the file, one per order, so that each round starts from the file's bytes.
#include <fcntl.h>
#include <mman.h>
#include <string.h>

#include "fork_util.h"

int main(void) {
  volatile char *first = (volatile char *)0x20000000;
  volatile char *second = (volatile char *)0x20010000;
  int fd = open("hello", O_RDONLY);
  ASSERT(fd >= 3);
  ASSERT(mmap((void *)first, PAGE_SIZE, PROT_READ | PROT_WRITE, fd, 0) == (void *)first);
  ASSERT(mmap((void *)second, PAGE_SIZE, PROT_READ | PROT_WRITE, fd, 0) == (void *)second);
  ASSERT(first[0] == 'W' && second[0] == 'W');  // read in, not written before the fork
  split_page(first, "file, parent writes", PARENT_WRITES);
  split_page(second, "file, child writes", CHILD_WRITES);
  // The parent did not write the second mapping: it still holds the file's bytes.
  ASSERT(memcmp((const char *)second, "Welcome to KeOS Project!\n\nEven t", 32) == 0);
  return 0;
}
