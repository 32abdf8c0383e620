// cow_reuse: a frame that nobody else shares any more is reused in place. After the child
// that shared a page has exited, the parent's write keeps the same frame (no copy); and
// when the child wrote first (taking a copy), the parent's later write keeps the original
// frame too.
#include <mman.h>

#include "fork_util.h"

int main(void) {
  volatile char *page = (volatile char *)0x20000000;
  ASSERT(mmap((void *)page, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, -1, 0) == (void *)page);
  volatile char *other = page + PAGE_SIZE;
  page[0] = 1;
  other[0] = 1;
  unsigned long frame = frame_of(page), other_frame = frame_of(other);
  int done[2];
  ASSERT(pipe(done) == 0);
  long pid = must_fork();
  if (pid == 0) {
    close(done[0]);
    other[0] = 2;  // the child takes its own copy of `other`, then exits
    ASSERT(frame_of(other) != other_frame);
    exit(0);
  }
  close(done[1]);
  drain_until_closed(done[0]);  // the child has exited
  ASSERT((pte_of((const void *)page) & PTE_RW) == 0);
  page[0] = 3;
  ASSERT(frame_of(page) == frame);
  ASSERT(pte_of((const void *)page) & PTE_RW);
  printf("reuse after the sharer exited: same frame\n");
  other[0] = 3;
  ASSERT(frame_of(other) == other_frame);
  printf("reuse after the sharer took a copy: same frame\n");
  ASSERT(page[0] == 3 && other[0] == 3);
  return 0;
}
