// mm_anon: anonymous mmap. A mapping is returned at the address asked for, starts
// zero-filled, is writable, covers whole pages (a short length is rounded up to one page,
// and no more), and two mappings never share memory. The highest page of user space can
// be mapped too.
#include <errno.h>
#include <mman.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>

#include "check.h"

#define PAGE 4096ul
#define BASE 0x10000000ul
#define TOP_PAGE 0x7ffffffff000ul  // the last page below 0x0000_8000_0000_0000

// Ends the program with exit code 1 unless got == want.
// The index of the first non-zero byte of [p, p + n), or -1.
static long first_nonzero(const volatile uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != 0) return (long)i;
  }
  return -1;
}

static void *map_anon(unsigned long addr, size_t len, int prot) {
  return mmap((void *)addr, len, prot, MAP_ANONYMOUS_FD, 0);
}

static void three_pages(void) {
  volatile uint8_t *p = map_anon(BASE, 3 * PAGE, PROT_READ | PROT_WRITE);
  EXPECT("mmap of 3 pages returns its address", (long)p, (long)BASE);
  EXPECT("3 fresh pages are zero", first_nonzero(p, 3 * PAGE), -1);
  for (size_t i = 0; i < 3 * PAGE; ++i) p[i] = (uint8_t)(i * 7 + 3);
  for (size_t i = 0; i < 3 * PAGE; ++i) {
    if (p[i] != (uint8_t)(i * 7 + 3)) EXPECT("written byte reads back", (long)i, -1);
  }
  printf("mm_anon: 3 pages zero-filled, written and read back\n");
}

static void short_length(void) {
  unsigned long at = BASE + 16 * PAGE;
  volatile uint8_t *p = map_anon(at, 100, PROT_READ | PROT_WRITE);
  EXPECT("mmap of 100 bytes returns its address", (long)p, (long)at);
  EXPECT("the whole page of a 100-byte mapping is zero", first_nonzero(p, PAGE), -1);
  p[PAGE - 1] = 0x5a;  // the rounded-up part is mapped and writable
  EXPECT("last byte of the rounded page", p[PAGE - 1], 0x5a);
  EXPECT("the rounded page itself cannot be mapped again",
         (long)map_anon(at, PAGE, PROT_READ), -EINVAL);
  EXPECT("the page after a 100-byte mapping is free",
         (long)map_anon(at + PAGE, PAGE, PROT_READ | PROT_WRITE), (long)(at + PAGE));
  EXPECT("the page after is zero", first_nonzero(p + PAGE, PAGE), -1);
  printf("mm_anon: a 100-byte mapping covers exactly one page\n");
}

static void separate_mappings(void) {
  volatile uint32_t *a = map_anon(BASE + 32 * PAGE, PAGE, PROT_READ | PROT_WRITE);
  volatile uint32_t *b = map_anon(BASE + 33 * PAGE, PAGE, PROT_READ | PROT_WRITE);
  EXPECT("first of two adjacent mappings", (long)a, (long)(BASE + 32 * PAGE));
  EXPECT("second of two adjacent mappings", (long)b, (long)(BASE + 33 * PAGE));
  a[0] = 0x11111111;
  b[0] = 0x22222222;
  EXPECT("a write to one mapping leaves the other alone", a[0], 0x11111111);
  EXPECT("the other keeps its own value", b[0], 0x22222222);
  EXPECT("physical pages differ", test_get_phys((const void *)a, 0) != test_get_phys((const void *)b, 0), 1);
  printf("mm_anon: two mappings have separate memory\n");
}

static void big_mapping(void) {
  unsigned long at = BASE + 0x1000000;
  size_t len = 16ul << 20;
  volatile uint8_t *p = map_anon(at, len, PROT_READ | PROT_WRITE);
  EXPECT("mmap of 16 MiB returns its address", (long)p, (long)at);
  p[0] = 1;
  p[len - 1] = 2;
  EXPECT("first byte of 16 MiB", p[0], 1);
  EXPECT("last byte of 16 MiB", p[len - 1], 2);
  EXPECT("a page in the middle is zero", first_nonzero(p + len / 2, PAGE), -1);
  printf("mm_anon: 16 MiB mapping: first and last byte written\n");
}

static void top_of_user_space(void) {
  volatile uint8_t *p = map_anon(TOP_PAGE, PAGE, PROT_READ | PROT_WRITE);
  EXPECT("mmap of the top user page", (long)p, (long)TOP_PAGE);
  EXPECT("the top page is zero", first_nonzero(p, PAGE), -1);
  p[PAGE - 1] = 0x77;  // the very last user byte, 0x7fffffffffff
  EXPECT("the last user byte", p[PAGE - 1], 0x77);
  EXPECT("munmap of the top page", munmap((void *)TOP_PAGE), 0);
  printf("mm_anon: the top page of user space is mappable\n");
}

int main(void) {
  three_pages();
  short_length();
  separate_mappings();
  big_mapping();
  top_of_user_space();
  printf("mm_anon: ok\n");
  return 0;
}
