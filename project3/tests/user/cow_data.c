// cow_data: a page of the program's .data is shared by fork and split by the first write,
// whichever process writes first.
#include "fork_util.h"

// Page aligned and alone on its page, so nothing else writes to that page.
char data_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE))) = {'d'};

int main(void) {
  data_page[0] = 'D';  // present and writable before the fork
  memmap_snapshot("before the first fork");  // make memmap's first picture (else ENOSYS)
  split_page(data_page, "data, parent writes", PARENT_WRITES);
  split_page(data_page, "data, child writes", CHILD_WRITES);
  return 0;
}
