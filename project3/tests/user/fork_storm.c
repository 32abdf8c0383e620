// fork_storm: 100 rounds of `fork(); fork();` with every process writing the shared pages
// at once on all CPUs, to expose races on frame reference counts and page tables. Each
// round the original process waits for the three others to exit, then checks that its
// own pages still hold its pattern.
#include <debug.h>

#include "fork_util.h"

#define ROUNDS 100
#define PAGES 16

char pages[PAGES][PAGE_SIZE];

static void fill(int value) {
  for (int i = 0; i < PAGES; i++) pages[i][i * 8] = (char)(value + i);
}

static int holds(int value) {
  for (int i = 0; i < PAGES; i++) {
    if (pages[i][i * 8] != (char)(value + i)) return 0;
  }
  return 1;
}

int main(void) {
  for (int round = 0; round < ROUNDS; round++) {
    int done[2];
    ASSERT(pipe(done) == 0);
    fill(round);
    long first = must_fork();
    long second = must_fork();
    if (first == 0 || second == 0) {
      // One of the three new processes: write every page (copy-on-write faults on all
      // CPUs at once), check, exit.
      int mine = 50 + (first == 0) * 2 + (second == 0);
      close(done[0]);
      fill(mine);
      if (!holds(mine)) {
        printf("round %d: a child's pages changed under it\n", round);
        exit(1);
      }
      exit(0);
    }
    close(done[1]);
    drain_until_closed(done[0]);
    close(done[0]);
    if (!holds(round)) {
      printf("round %d: the parent's pages changed\n", round);
      return 1;
    }
  }
  printf("fork_storm: %d rounds\n", ROUNDS);
  return 0;
}
