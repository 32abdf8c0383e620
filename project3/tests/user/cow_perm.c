// cow_perm: read-only pages stay read-only across fork. A write to a read-only mapping is
// an access violation, not a copy-on-write fault: the writer ends with -1 and the other
// process still reads the original bytes from the same frame.
//
//   cow_perm anon|file parent|child
// maps one read-only page (anonymous, or of the file "hello"), faults it in, forks, and
// lets the named process write to it.
#include <fcntl.h>
#include <mman.h>
#include <string.h>

#include "fork_util.h"

int main(int argc, char **argv) {
  ASSERT(argc == 3);
  int file = strcmp(argv[1], "file") == 0;
  int parent_writes = strcmp(argv[2], "parent") == 0;
  volatile char *page = (volatile char *)0x20000000;
  int fd = file ? open("hello", O_RDONLY) : -1;
  ASSERT(mmap((void *)page, PAGE_SIZE, PROT_READ, fd, 0) == (void *)page);
  char original = page[0];  // present (read-only) before the fork
  ASSERT(original == (file ? 'W' : 0));
  unsigned long frame = frame_of(page);
  int done[2];
  ASSERT(pipe(done) == 0);
  long pid = must_fork();
  ASSERT(frame_of(page) == frame);
  ASSERT((pte_of((const void *)page) & PTE_RW) == 0);
  if ((pid == 0) == !parent_writes) {
    // The writer. Its line comes first; the write must end it with -1.
    close(done[0]);
    printf("%s: writing the read-only page\n", pid == 0 ? "child" : "parent");
    page[0] = 'X';
    printf("%s: the write went through\n", pid == 0 ? "child" : "parent");
    exit(2);
  }
  // The other one waits until the writer has ended (its copy of the write end closes).
  close(done[1]);
  drain_until_closed(done[0]);
  ASSERT(page[0] == original);
  ASSERT(frame_of(page) == frame);
  ASSERT((pte_of((const void *)page) & PTE_RW) == 0);
  printf("%s: page intact\n", pid == 0 ? "child" : "parent");
  return 0;
}
