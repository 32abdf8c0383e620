// cow_stack: the stack is copy-on-write too. The middle page of a three-page local buffer
// (which no call frame shares) is split by the first write, in both orders.
#include "fork_util.h"

int main(void) {
  char buffer[3 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
  volatile char *middle = buffer + PAGE_SIZE;
  middle[0] = 'S';
  ASSERT(frame_of(middle) != 0);
  split_page(middle, "stack, parent writes", PARENT_WRITES);
  split_page(middle, "stack, child writes", CHILD_WRITES);
  return 0;
}
