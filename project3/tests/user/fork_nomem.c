// fork_nomem: run by the kernel test fork_nomem with only a few free frames left (the
// test sweeps how many). The program touches 32 pages and forks. A fork that fails must
// fail with ENOMEM and leave this process exactly as it was: every page keeps its data,
// its frame and its write right, and writes to it need no copy.
//
// Exit codes: 0 the fork worked; 12 it failed cleanly; anything else is a bug (the
// message says which).
#include <mman.h>
#include <stdio.h>
#include <syscall.h>

#define PAGES 32
#define PAGE 4096
#define ENOMEM_RESULT (-12)
#define PTE_RW 0x2

int main(void) {
  char *region = (char *)0x10000000;
  unsigned long frame[PAGES];
  if (mmap(region, PAGES * PAGE, PROT_READ | PROT_WRITE, -1, 0) != region) {
    printf("fork_nomem: mmap failed\n");
    return 3;
  }
  for (int i = 0; i < PAGES; i++) {
    region[i * PAGE] = (char)(i + 1);
    frame[i] = (unsigned long)syscall2(SYS_GETPHYS, region + i * PAGE, 0);
  }
  long pid = fork();
  if (pid == 0) exit(0);
  if (pid > 0) return 0;
  if (pid != ENOMEM_RESULT) {
    printf("fork_nomem: fork returned %ld, expected ENOMEM (-12)\n", pid);
    return 4;
  }
  for (int i = 0; i < PAGES; i++) {
    char *page = region + i * PAGE;
    if (!((unsigned long)syscall2(SYS_GETPHYS, page, 1) & PTE_RW)) {
      printf("fork_nomem: page %d lost its write right in the failed fork\n", i);
      return 5;
    }
    if (*page != (char)(i + 1)) {
      printf("fork_nomem: page %d lost its data in the failed fork\n", i);
      return 6;
    }
    *page = (char)(100 + i);
    if ((unsigned long)syscall2(SYS_GETPHYS, page, 0) != frame[i]) {
      printf("fork_nomem: page %d moved to another frame\n", i);
      return 7;
    }
  }
  return 12;
}
