// mm_munmap: munmap removes a mapping given its exact start address, once. An unaligned
// address, an address inside a mapping, 0, a kernel address or an address never mapped
// fail and leave the mappings alone; after munmap the range can be mapped again and
// starts afresh (zero-filled, no page present).
#include <errno.h>
#include <fcntl.h>
#include <mman.h>
#include <stdint.h>
#include <stdio.h>
#include <syscall.h>

#include "check.h"

#define PAGE 4096ul
#define BASE 0x10000000ul

static void fails(const char *what, unsigned long addr) {
  long r = munmap((void *)addr);
  if (!IS_ERR(r)) {
    printf("mm_munmap: munmap of %s returned %ld, expected an error\n", what, r);
    exit(1);
  }
}

// Many small mappings, every other page, unmapped in a scrambled order: each munmap takes
// exactly its own page, and its neighbours that are still mapped keep their content.
static void many_mappings(void) {
  enum { kCount = 512 };
  static char alive[kCount];
  unsigned long at = BASE + 0x1000000;
  for (unsigned long i = 0; i < kCount; ++i) {
    volatile long *p =
        mmap((void *)(at + 2 * i * PAGE), PAGE, PROT_READ | PROT_WRITE, MAP_ANONYMOUS_FD, 0);
    EXPECT("mmap of one of many pages", (long)p, (long)(at + 2 * i * PAGE));
    p[0] = (long)i + 1000;
    alive[i] = 1;
  }
  for (unsigned long k = 0; k < kCount; ++k) {
    unsigned long i = (k * 167) % kCount;  // 167 is coprime with 512: every page once
    EXPECT("munmap of one of many pages", munmap((void *)(at + 2 * i * PAGE)), 0);
    alive[i] = 0;
    EXPECT("the page is gone", test_get_phys((const void *)(at + 2 * i * PAGE), 0), -EINVAL);
    unsigned long neighbours[2] = {(i + 1) % kCount, (i + kCount - 1) % kCount};
    for (int n = 0; n < 2; ++n) {
      unsigned long j = neighbours[n];
      if (alive[j]) {
        EXPECT("a neighbour keeps its word", *(volatile long *)(at + 2 * j * PAGE),
               (long)j + 1000);
      }
    }
  }
  printf("mm_munmap: 512 mappings unmapped one by one in a scrambled order\n");
}

// The same address mapped, written and unmapped over and over: each new mapping reads
// zero, so no stale translation of the previous frame survived its munmap.
static void reuse(void) {
  for (long i = 1; i <= 300; ++i) {
    volatile long *p = mmap((void *)BASE, PAGE, PROT_READ | PROT_WRITE, MAP_ANONYMOUS_FD, 0);
    EXPECT("mmap of the reused page", (long)p, (long)BASE);
    EXPECT("the reused page starts at zero", p[0], 0);
    p[0] = i;
    EXPECT("the reused page holds its word", p[0], i);
    EXPECT("munmap of the reused page", munmap((void *)p), 0);
  }
  printf("mm_munmap: one address mapped and unmapped 300 times, fresh each time\n");
}

int main(void) {
  volatile long *p = mmap((void *)BASE, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_ANONYMOUS_FD, 0);
  EXPECT("mmap of 2 pages", (long)p, (long)BASE);
  p[0] = 11;
  p[PAGE / sizeof(long)] = 22;

  fails("the start + 1", BASE + 1);
  fails("the start + 0x800", BASE + 0x800);
  fails("the second page of the mapping", BASE + PAGE);
  fails("the page after the mapping", BASE + 2 * PAGE);
  fails("the page before the mapping", BASE - PAGE);
  fails("0", 0);
  fails("a kernel address", 0xffffff0000100000ul);
  fails("a non-canonical address", 0x0000800000000000ul);
  fails("an address never mapped", BASE + 0x100000);
  EXPECT("first page intact", p[0], 11);
  EXPECT("second page intact", p[PAGE / sizeof(long)], 22);
  printf("mm_munmap: only the exact start address is accepted\n");

  EXPECT("munmap of the start", munmap((void *)BASE), 0);
  fails("the same address again", BASE);
  printf("mm_munmap: a second munmap fails\n");

  p = mmap((void *)BASE, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_ANONYMOUS_FD, 0);
  EXPECT("mmap again over the freed range, bigger", (long)p, (long)BASE);
  EXPECT("the old page is gone", test_get_phys((const void *)p, 0), -EINVAL);
  EXPECT("the new mapping is zero-filled", p[0], 0);
  EXPECT("its second page too", p[PAGE / sizeof(long)], 0);
  EXPECT("munmap of the new mapping", munmap((void *)BASE), 0);
  EXPECT("munmap drops the pages", test_get_phys((const void *)p, 0), -EINVAL);
  printf("mm_munmap: a freed range can be mapped again, fresh\n");

  int fd = open("hello", O_RDONLY);
  EXPECT("open hello", fd >= 3, 1);
  const char *f = mmap((void *)BASE, PAGE, PROT_READ, fd, 0);
  EXPECT("mmap of hello", (long)f, (long)BASE);
  EXPECT("its first byte", f[0], 'W');
  EXPECT("munmap of a file mapping", munmap((void *)f), 0);
  fails("the file mapping again", BASE);
  many_mappings();
  reuse();
  printf("mm_munmap: ok\n");
  return 0;
}
