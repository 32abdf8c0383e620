// mm_overlap: a mapping may not overlap another mapping, the program's ELF segments or
// the stack [0x47470000, 0x47480000): mmap fails with exactly EINVAL and the existing
// mapping keeps its content. Mappings right next to any of them are fine.
#include <errno.h>
#include <mman.h>
#include <stdint.h>
#include <stdio.h>
#include <syscall.h>

#include "check.h"

#define PAGE 4096ul
#define BASE 0x10000000ul
#define STACK_BOTTOM 0x47470000ul
#define STACK_TOP 0x47480000ul

static long map(unsigned long addr, size_t len) {
  return (long)mmap((void *)addr, len, PROT_READ | PROT_WRITE, MAP_ANONYMOUS_FD, 0);
}

static void refused(const char *what, unsigned long addr, size_t len) {
  EXPECT(what, map(addr, len), -EINVAL);
}

static void accepted(const char *what, unsigned long addr, size_t len) {
  EXPECT(what, map(addr, len), (long)addr);
  EXPECT("munmap", munmap((void *)addr), 0);
}

static void other_mappings(void) {
  unsigned long a = BASE + 16 * PAGE;  // [a, a + 4 pages)
  EXPECT("mmap of 4 pages", map(a, 4 * PAGE), (long)a);
  for (int i = 0; i < 4; ++i) ((volatile long *)(a + i * PAGE))[0] = 100 + i;

  refused("the same range", a, 4 * PAGE);
  refused("a range ending inside", a - PAGE, 2 * PAGE);
  refused("a range starting inside", a + 3 * PAGE, 2 * PAGE);
  refused("a range inside", a + PAGE, PAGE);
  refused("a range around", a - PAGE, 6 * PAGE);
  refused("the last byte's page", a + 3 * PAGE, 1);
  refused("a short length rounded up into it", a - PAGE, PAGE + 1);
  for (int i = 0; i < 4; ++i) {
    EXPECT("content after refused mappings", ((volatile long *)(a + i * PAGE))[0], 100 + i);
  }
  accepted("the page before", a - PAGE, PAGE);
  accepted("the page after", a + 4 * PAGE, PAGE);
  printf("mm_overlap: overlaps with a mapping refused, neighbours accepted\n");
}

int main(void);
static const char rodata_text[] = "mm_overlap's read-only data";
static long data_word = 1;
static long bss_word;

static unsigned long page_of(const void *p) { return (unsigned long)(uintptr_t)p & ~(PAGE - 1); }

static void program_segments(void) {
  refused("the first text page 0x401000", 0x401000, PAGE);
  refused("main's page", page_of((const void *)(uintptr_t)main), PAGE);
  refused("the rodata page", page_of(rodata_text), PAGE);
  refused("the data page", page_of(&data_word), PAGE);
  refused("the bss page", page_of(&bss_word), PAGE);
  refused("a range from 0x400000 into the text", 0x400000, 2 * PAGE);
  accepted("0x400000, right below the text", 0x400000, PAGE);
  EXPECT("data intact", data_word + bss_word, 1);
  printf("mm_overlap: overlaps with ELF segments refused\n");
}

static void stack(void) {
  volatile long local = 7;
  refused("the stack's bottom page", STACK_BOTTOM, PAGE);
  refused("the stack's top page", STACK_TOP - PAGE, PAGE);
  refused("the page holding a local", page_of((const void *)&local), PAGE);
  refused("a range ending inside the stack", STACK_BOTTOM - PAGE, 2 * PAGE);
  refused("a range starting inside the stack", STACK_TOP - PAGE, 2 * PAGE);
  refused("a range around the stack", STACK_BOTTOM - 16 * PAGE, 64 * PAGE);
  accepted("the page below the stack", STACK_BOTTOM - PAGE, PAGE);
  accepted("the page above the stack", STACK_TOP, PAGE);
  EXPECT("a local after all that", local, 7);
  printf("mm_overlap: overlaps with the stack refused\n");
}

int main(void) {
  other_mappings();
  program_segments();
  stack();
  printf("mm_overlap: ok\n");
  return 0;
}
