// cow_cleanup: one round of the cleanup stress (the kernel test cow_cleanup_stress runs
// it 12 times in 512 MiB of RAM). The process touches 64 MiB and forks; the child
// rewrites every page, which copies all of them, checks them and exits; then the parent
// checks that its own data is unchanged. Every copy must be freed when its process ends,
// or a few rounds run the machine out of memory.
#include <mman.h>

#include "fork_util.h"

#define SIZE (64ul << 20)

int main(void) {
  volatile long *region = (volatile long *)0x40000000;
  ASSERT(mmap((void *)region, SIZE, PROT_READ | PROT_WRITE, -1, 0) == (void *)region);
  const unsigned long words_per_page = PAGE_SIZE / sizeof(long);
  const unsigned long pages = SIZE / PAGE_SIZE;
  for (unsigned long p = 0; p < pages; p++) region[p * words_per_page] = (long)p;
  int done[2];
  ASSERT(pipe(done) == 0);
  long pid = must_fork();
  if (pid == 0) {
    close(done[0]);
    for (unsigned long p = 0; p < pages; p++) region[p * words_per_page] = -(long)p;
    for (unsigned long p = 0; p < pages; p++) ASSERT(region[p * words_per_page] == -(long)p);
    exit(0);
  }
  close(done[1]);
  drain_until_closed(done[0]);
  for (unsigned long p = 0; p < pages; p++) ASSERT(region[p * words_per_page] == (long)p);
  printf("cow_cleanup: %lu pages copied and freed\n", pages);
  return 0;
}
