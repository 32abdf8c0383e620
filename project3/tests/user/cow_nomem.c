// cow_nomem: run by the kernel test cow_nomem with only a few free frames left (the test
// sweeps how many). The program fills 64 pages and forks; the child gets ready, then
// waits; the parent rewrites every page, which needs a fresh frame per page. When memory
// runs out in the middle, the parent alone must end (exit code -1): the child then finds
// its data untouched and can still write all of it (nobody shares the frames any more).
//
// Parent exit codes: 0 it rewrote everything; 12 the set-up or the fork failed with
// ENOMEM; 6 the child was ended (out of memory in its own first faults) before it got
// ready; -1 (from the kernel) it ran out of memory in a copy-on-write fault; others are
// bugs.
// The child prints "child intact" and "child done" when all went well for it.
#include <mman.h>
#include <stdio.h>
#include <syscall.h>

#define PAGES 64
#define PAGE 4096
#define ENOMEM_RESULT (-12)

static int check(char *region, int base) {
  for (int i = 0; i < PAGES; i++) {
    if (region[i * PAGE] != (char)(base + i)) return 0;
  }
  return 1;
}

static void rewrite(char *region, int base) {
  for (int i = 0; i < PAGES; i++) region[i * PAGE] = (char)(base + i);
}

int main(void) {
  char *region = (char *)0x10000000;
  int go[2], ready[2];
  char byte;
  // Too little memory even to set up (the mapping's or the pipes' kernel records) counts
  // like a fork that failed with ENOMEM.
  void *mapped = mmap(region, PAGES * PAGE, PROT_READ | PROT_WRITE, -1, 0);
  if (mapped != region) return mapped == (void *)ENOMEM_RESULT ? 12 : 3;
  rewrite(region, 1);
  long piped = pipe(go);
  if (piped == 0) piped = pipe(ready);
  if (piped != 0) return piped == ENOMEM_RESULT ? 12 : 3;
  long pid = fork();
  if (pid < 0) return pid == ENOMEM_RESULT ? 12 : 4;
  if (pid == 0) {
    close(go[1]);
    // Touch this stack and the output path before the parent eats the memory.
    printf("child ready\n");
    write(ready[1], "r", 1);
    // Returns 1 when the parent finished, or fails once the parent is gone.
    read(go[0], &byte, 1);
    if (!check(region, 1)) {
      printf("child sees the parent's writes\n");
      exit(5);
    }
    printf("child intact\n");
    rewrite(region, 50);
    printf(check(region, 50) ? "child done\n" : "child lost its writes\n");
    exit(0);
  }
  close(go[0]);
  close(ready[1]);
  if (read(ready[0], &byte, 1) != 1) return 6;  // the child ran out of memory first
  rewrite(region, 100);  // may end this process: out of memory
  if (!check(region, 100)) return 7;
  write(go[1], "g", 1);
  return 0;
}
