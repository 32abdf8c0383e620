// cow_anon: an anonymous mmap page is shared by fork and split by the first write,
// whichever process writes first.
#include <mman.h>

#include "fork_util.h"

int main(void) {
  volatile char *page = (volatile char *)0x20000000;
  ASSERT(mmap((void *)page, PAGE_SIZE, PROT_READ | PROT_WRITE, -1, 0) == (void *)page);
  page[0] = 'A';  // faulted in before the fork
  split_page(page, "anon, parent writes", PARENT_WRITES);
  split_page(page, "anon, child writes", CHILD_WRITES);
  return 0;
}
