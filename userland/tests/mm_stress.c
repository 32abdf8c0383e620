// mm_stress [MIB [crash]]: maps MIB MiB (default 64) of anonymous memory, writes a word
// into every page, reads every word back, and exits 0 (with "crash", it writes to page 0
// instead and is killed with -1). Run many times in a row by a kernel test, it shows that
// an ending process gives back every frame and page-table page.
#include <mman.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>

#define PAGE 4096ul
#define BASE 0x10000000ul

static uint64_t word(uint64_t seed, unsigned long page) {
  return seed ^ (page * 0x9e3779b97f4a7c15ul);
}

int main(int argc, char **argv) {
  unsigned long mib = argc > 1 ? (unsigned long)atoi(argv[1]) : 64;
  unsigned long pages = mib << 20 >> 12;
  volatile uint64_t *p = mmap((void *)BASE, mib << 20, PROT_READ | PROT_WRITE, MAP_ANONYMOUS_FD, 0);
  if ((unsigned long)p != BASE) {
    printf("mm_stress: mmap of %lu MiB failed: %ld\n", mib, (long)p);
    return 1;
  }
  uint64_t seed;
  getrandom(&seed, sizeof seed, 0);
  // A different word, at a different place, in every page; the next word stays zero.
  for (unsigned long i = 0; i < pages; ++i) p[i * 512 + i % 512] = word(seed, i);
  for (unsigned long i = 0; i < pages; ++i) {
    if (p[i * 512 + i % 512] != word(seed, i) || p[i * 512 + (i + 1) % 512] != 0) {
      printf("mm_stress: page %lu lost its word\n", i);
      return 1;
    }
  }
  printf("mm_stress: %lu pages written and checked\n", pages);
  if (argc > 2 && strcmp(argv[2], "crash") == 0) {
    volatile uint64_t *zero = (volatile uint64_t *)0;
    __asm__ volatile("" : "+r"(zero));  // a real page fault, not a compiler-made trap
    *zero = 1;
    printf("mm_stress: survived a write to page 0\n");
    return 2;
  }
  return 0;
}
