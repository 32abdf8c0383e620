// fork_tree: five levels of fork, each process forking once per level, so 32 processes
// end up running. At each level parent and child write a different value into the same
// global; every process checks, at every level, that all the values its ancestors wrote
// are still there and its own writes stay private. Each process reports its path (one
// byte, bit i = the side it took at level i) through a pipe that the root reads to end
// of file; the root checks that all 32 paths arrived exactly once.
#include <debug.h>

#include "fork_util.h"

#define LEVELS 5

int side[LEVELS];            // .data/.bss pages shared copy-on-write at every level
char big[LEVELS][PAGE_SIZE];  // one page per level, written after each fork

int main(void) {
  int report[2];
  ASSERT(pipe(report) == 0);
  int path = 0;
  for (int level = 0; level < LEVELS; level++) {
    long pid = must_fork();
    int mine = pid == 0 ? 1 : 0;
    side[level] = mine;
    big[level][level * 7] = (char)(mine + 10 * level);
    path |= mine << level;
    for (int l = 0; l <= level; l++) {
      int expect = (path >> l) & 1;
      if (side[l] != expect || big[l][l * 7] != (char)(expect + 10 * l)) {
        printf("path %d, level %d: value of level %d is wrong\n", path, level, l);
        exit(1);
      }
    }
  }
  char byte = (char)path;
  ASSERT(write(report[1], &byte, 1) == 1);
  if (path != 0) exit(0);
  // The root: every other process holds a copy of the write end until it exits.
  close(report[1]);
  int seen[1 << LEVELS] = {0};
  long total = 0, n;
  char buf[64];
  while ((n = read(report[0], buf, sizeof buf)) > 0) {
    for (long i = 0; i < n; i++) seen[(unsigned char)buf[i] & 31]++;
    total += n;
  }
  ASSERT(total == 1 << LEVELS);  // the root's own report included
  for (int p = 0; p < (1 << LEVELS); p++) {
    if (seen[p] != 1) {
      printf("path %d reported %d times\n", p, seen[p]);
      return 1;
    }
  }
  printf("fork_tree: 32 processes, all values right\n");
  return 0;
}
