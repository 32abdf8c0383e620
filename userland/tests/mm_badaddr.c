// mm_badaddr: mmap refuses, with exactly EINVAL, an address of 0, an unaligned address,
// a kernel or non-canonical address, a range that runs past the end of user space or
// wraps around, and a length of 0; a refused call maps nothing. A range that ends exactly
// at the end of user space is fine.
#include <errno.h>
#include <mman.h>
#include <stdint.h>
#include <stdio.h>
#include <syscall.h>

#include "check.h"

#define PAGE 4096ul
#define BASE 0x10000000ul
#define USER_END 0x0000800000000000ul

static long map(unsigned long addr, unsigned long len) {
  return (long)mmap((void *)addr, len, PROT_READ | PROT_WRITE, MAP_ANONYMOUS_FD, 0);
}

static void refused(const char *what, unsigned long addr, unsigned long len) {
  EXPECT(what, map(addr, len), -EINVAL);
}

int main(void) {
  refused("address 0", 0, PAGE);
  refused("address 0, length 0", 0, 0);
  refused("address 0x1", 1, PAGE);
  refused("unaligned by 1", BASE + 1, PAGE);
  refused("unaligned by 0x800", BASE + 0x800, PAGE);
  refused("unaligned by 0xfff", BASE + 0xfff, PAGE);
  printf("mm_badaddr: 0 and unaligned addresses refused\n");

  refused("the kernel image 0xffffff0000100000", 0xffffff0000100000ul, PAGE);
  refused("the start of the upper half", 0xffff800000000000ul, PAGE);
  refused("the last page of the address space", 0xfffffffffffff000ul, PAGE);
  refused("the end of user space", USER_END, PAGE);
  refused("non-canonical 0x1000000000000000", 0x1000000000000000ul, PAGE);
  refused("non-canonical 0x8000000000000000", 0x8000000000000000ul, PAGE);
  printf("mm_badaddr: kernel and non-canonical addresses refused\n");

  refused("2 pages from the top user page", USER_END - PAGE, 2 * PAGE);
  refused("one byte past the end of user space", USER_END - PAGE, PAGE + 1);
  refused("16 pages across the end of user space", USER_END - 8 * PAGE, 16 * PAGE);
  refused("a length of all of user space", BASE, USER_END);
  refused("a length that wraps around", BASE, 0ul - BASE + PAGE);
  refused("a length of ~0", BASE, ~0ul);
  refused("a length that wraps when rounded up", BASE, ~0ul - 10);
  refused("a length of -4096", BASE, 0ul - PAGE);
  refused("a length of 2^63", BASE, 1ul << 63);
  printf("mm_badaddr: ranges past the end of user space refused\n");

  refused("length 0", BASE, 0);
  printf("mm_badaddr: length 0 refused\n");

  EXPECT("nothing was mapped at BASE", map(BASE, PAGE), (long)BASE);
  EXPECT("the last two user pages", map(USER_END - 2 * PAGE, 2 * PAGE),
         (long)(USER_END - 2 * PAGE));
  ((volatile char *)(USER_END - 1))[0] = 1;
  EXPECT("the last user byte", ((volatile char *)(USER_END - 1))[0], 1);
  printf("mm_badaddr: a range ending at the end of user space is fine\n");
  printf("mm_badaddr: ok\n");
  return 0;
}
