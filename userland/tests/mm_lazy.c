// mm_lazy: lazy paging, seen through get_phys. mmap allocates nothing: a page has no
// page-table entry (get_phys gives EINVAL) until it is first touched, and each page is
// faulted in on its own, with the permission of its mapping (even on a read, a writable
// mapping's entry is writable; only executable mappings lack XD). A 4 GiB mapping, larger
// than the machine's memory, works as long as only a few pages are touched.
#include <errno.h>
#include <fcntl.h>
#include <mman.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>

#include "check.h"

#define PAGE 4096ul
#define BASE 0x10000000ul
#define PTE_P (1ul << 0)
#define PTE_RW (1ul << 1)
#define PTE_US (1ul << 2)
#define PTE_XD (1ul << 63)
#define PTE_ADDR 0x000ffffffffff000ul

static void *map_anon(unsigned long addr, size_t len, int prot) {
  return mmap((void *)addr, len, prot, MAP_ANONYMOUS_FD, 0);
}

static uint8_t touch(const void *p) { return *(const volatile uint8_t *)p; }

// Checks the entry of `p`'s page: present, user, RW as `writable`, XD as `no_exec`.
static void expect_pte(const char *what, const void *p, int writable, int no_exec) {
  long raw = test_get_phys(p, 1);
  EXPECT_TRUE(what, !IS_ERR(raw));
  unsigned long pte = (unsigned long)raw;
  if ((pte & PTE_P) == 0 || (pte & PTE_US) == 0 || !!(pte & PTE_RW) != writable ||
      !!(pte & PTE_XD) != no_exec) {
    printf("mm_lazy: %s: pte %#lx, expected RW=%d XD=%d\n", what, pte, writable, no_exec);
    exit(1);
  }
}

static void faults_in_one_page_at_a_time(void) {
  char *p = map_anon(BASE, 4 * PAGE, PROT_READ | PROT_WRITE);
  EXPECT("mmap of 4 pages", (long)p, (long)BASE);
  for (int i = 0; i < 4; ++i) {
    EXPECT("get_phys before the first touch", test_get_phys(p + i * PAGE, 0), -EINVAL);
    EXPECT("raw PTE before the first touch", test_get_phys(p + i * PAGE + 8, 1), -EINVAL);
  }
  printf("mm_lazy: mmap allocated nothing\n");

  EXPECT("a fresh page reads zero", touch(p), 0);
  long pa = test_get_phys(p, 0);
  EXPECT_TRUE("get_phys after a read is an address", !IS_ERR(pa) && pa > 0);
  EXPECT("get_phys of a page is page aligned", pa & 0xfff, 0);
  EXPECT("get_phys keeps the offset", test_get_phys(p + 0x123, 0), pa | 0x123);
  EXPECT("the raw PTE holds the same frame", (long)((unsigned long)test_get_phys(p, 1) & PTE_ADDR), pa);
  expect_pte("a read fault maps a writable mapping writable", p, 1, 1);
  for (int i = 1; i < 4; ++i) {
    EXPECT("neighbours stay unmapped", test_get_phys(p + i * PAGE, 0), -EINVAL);
  }
  p[2 * PAGE + 5] = 9;  // a write fault on page 2
  long pa2 = test_get_phys(p + 2 * PAGE, 0);
  EXPECT_TRUE("page 2 is present after a write", !IS_ERR(pa2));
  EXPECT_TRUE("pages 0 and 2 have different frames", pa2 != pa);
  EXPECT("page 1 is still unmapped", test_get_phys(p + PAGE, 0), -EINVAL);
  EXPECT("page 3 is still unmapped", test_get_phys(p + 3 * PAGE, 0), -EINVAL);
  printf("mm_lazy: pages are faulted in one at a time\n");
}

static void kernel_copy_faults_in(void) {
  char *buf = (char *)BASE + 3 * PAGE;  // untouched so far
  int fd = open("hello", O_RDONLY);
  EXPECT_TRUE("open hello", fd >= 3);
  EXPECT("read() into a page not loaded yet", read(fd, buf, 32), 32);
  EXPECT_TRUE("the page is present after the kernel wrote to it", !IS_ERR(test_get_phys(buf, 0)));
  EXPECT("the bytes arrived", memcmp(buf, "Welcome to KeOS Project!\n\nEven t", 32), 0);
  close(fd);
  printf("mm_lazy: a kernel copy into an untouched page faults it in\n");
}

static void entries_follow_permissions(void) {
  void *ro = map_anon(BASE + 16 * PAGE, PAGE, PROT_READ);
  void *rwx = map_anon(BASE + 17 * PAGE, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC);
  void *rx = map_anon(BASE + 18 * PAGE, PAGE, PROT_READ | PROT_EXEC);
  EXPECT("mmap read-only", (long)ro, (long)(BASE + 16 * PAGE));
  EXPECT("mmap rwx", (long)rwx, (long)(BASE + 17 * PAGE));
  EXPECT("mmap r-x", (long)rx, (long)(BASE + 18 * PAGE));
  touch(ro);
  touch(rwx);
  touch(rx);
  expect_pte("read-only mapping", ro, 0, 1);
  expect_pte("read-write-execute mapping", rwx, 1, 0);
  expect_pte("read-execute mapping", rx, 0, 0);
  printf("mm_lazy: entries carry the mapping's permission\n");
}

int main(void);

static const char rodata_text[] = "read-only data of mm_lazy";
static int data_word = 5;
static int bss_word;

static void program_segments(void) {
  int stack_word = 1;
  touch(rodata_text);
  touch(&data_word);
  touch(&bss_word);
  expect_pte("text (main)", (const void *)(uintptr_t)main, 0, 0);
  expect_pte("rodata", rodata_text, 0, 1);
  expect_pte("data", &data_word, 1, 1);
  expect_pte("bss", &bss_word, 1, 1);
  expect_pte("stack", &stack_word, 1, 1);
  printf("mm_lazy: segments: text r-x, rodata r--, data and bss rw-, stack rw-\n");
}

// The stack is a lazy 64 KiB mapping too: its bottom page is not there until touched.
static void stack_bottom(void) {
  volatile long *bottom = (volatile long *)0x47470000ul;
  EXPECT("the stack's bottom page before a touch", test_get_phys((const void *)bottom, 0), -EINVAL);
  *bottom = 77;
  EXPECT("the stack's bottom page is usable", *bottom, 77);
  expect_pte("the stack's bottom page", (const void *)bottom, 1, 1);
  printf("mm_lazy: the stack's bottom page comes on first touch\n");
}

static void bigger_than_memory(void) {
  unsigned long at = 0x100000000ul;
  size_t len = 4ul << 30;  // 4 GiB in a 512 MiB machine
  volatile uint8_t *p = map_anon(at, len, PROT_READ | PROT_WRITE);
  EXPECT("mmap of 4 GiB", (long)p, (long)at);
  for (size_t off = 0; off < len; off += 512ul << 20) p[off + 17] = (uint8_t)(off >> 29);
  for (size_t off = 0; off < len; off += 512ul << 20) {
    EXPECT("a touched page of 4 GiB", p[off + 17], (long)(uint8_t)(off >> 29));
  }
  EXPECT("an untouched page of 4 GiB", test_get_phys((const void *)(p + len - PAGE), 0), -EINVAL);
  EXPECT("munmap of 4 GiB", munmap((void *)p), 0);
  printf("mm_lazy: a 4 GiB mapping costs only the pages touched\n");
}

static void no_entry_outside_user_space(void) {
  EXPECT("get_phys of page 0", test_get_phys((const void *)0, 0), -EINVAL);
  EXPECT("get_phys of a kernel address", test_get_phys((const void *)0xffffff0000100000ul, 0), -EINVAL);
  EXPECT("raw PTE of a kernel address", test_get_phys((const void *)0xffffff0000100000ul, 1), -EINVAL);
  EXPECT("get_phys of a non-canonical address",
         test_get_phys((const void *)0x0000800000000000ul, 0), -EINVAL);
  printf("mm_lazy: no entry outside the program's pages\n");
}

int main(void) {
  faults_in_one_page_at_a_time();
  kernel_copy_faults_in();
  entries_follow_permissions();
  program_segments();
  stack_bottom();
  bigger_than_memory();
  no_entry_outside_user_space();
  printf("mm_lazy: ok\n");
  return 0;
}
