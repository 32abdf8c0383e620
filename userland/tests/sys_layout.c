// sys_layout: how a program is loaded (keos-port-facts.md, "Processes"). Each PT_LOAD
// segment of its own ELF file (read back through open/read) holds the file's bytes and
// zeros after them up to the end of its last page (the bss, and the tail of the last file
// page, where the file goes on with other sections), with the segment's permissions (X:
// no XD bit; W: RW; every page user-accessible). Then the named parts: text R-X,
// read-only data R-- NX, data and bss RW- NX; nothing at page 0 or 0x400000; the stack is
// exactly [0x47470000, 0x47480000), read-write, NX. Page-table bits come from
// test_get_phys(va, 1), read after the page is touched.
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <syscall.h>

#include "check.h"

#define PTE_PRESENT (1ul << 0)
#define PTE_RW (1ul << 1)
#define PTE_USER (1ul << 2)
#define PTE_XD (1ul << 63)
#define STACK_BOTTOM 0x47470000ul
#define STACK_TOP 0x47480000ul

static const char kRodata[] = "read-only data";
int data_word = 0x4b654f53;       // .data
static char bss_small[64];        // .bss, right after .data (same page)
static char bss_large[5 * 4096];  // .bss over several pages

// The PTE of the page holding `p`: present and user-accessible, with `rw` and `xd` as given.
static void expect_pte(const void *p, int rw, int xd, const char *what) {
  unsigned long pte = (unsigned long)test_get_phys(p, 1);
  if (IS_ERR((long)pte) || !(pte & PTE_PRESENT) || !(pte & PTE_USER) || !!(pte & PTE_RW) != rw ||
      !!(pte & PTE_XD) != xd) {
    printf("FAIL %s at %p: PTE %#lx, expected RW=%d XD=%d\n", what, p, pte, rw, xd);
    exit(1);
  }
  // Mode 0: the physical address keeps the offset within the page.
  long pa = test_get_phys(p, 0);
  CHECK(pa > 0);
  CHECK_EQ(pa & 0xfff, (uintptr_t)p & 0xfff);
  CHECK_EQ((unsigned long)pa & ~0xffful & 0x000ffffffffff000ul, pte & 0x000ffffffffff000ul);
}

static uint64_t field(const unsigned char *p, int size) {
  uint64_t v = 0;
  memcpy(&v, p, size);
  return v;
}

// Compares every PT_LOAD segment of the file `self` with memory; returns their number.
static int check_segments(const char *self) {
  int fd = open(self, O_RDONLY);
  CHECK(fd >= 3);
  unsigned char ehdr[64], phdr[56];
  CHECK_EQ(read(fd, ehdr, sizeof ehdr), sizeof ehdr);
  uint64_t phoff = field(ehdr + 32, 8), phentsize = field(ehdr + 54, 2),
           phnum = field(ehdr + 56, 2);
  CHECK_EQ(phentsize, sizeof phdr);
  int loads = 0;
  for (uint64_t i = 0; i < phnum; i++) {
    CHECK_EQ(seek(fd, phoff + i * phentsize, SEEK_SET), phoff + i * phentsize);
    CHECK_EQ(read(fd, phdr, sizeof phdr), sizeof phdr);
    if (field(phdr, 4) != 1) continue;  // PT_LOAD
    loads++;
    uint64_t flags = field(phdr + 4, 4), offset = field(phdr + 8, 8), vaddr = field(phdr + 16, 8);
    uint64_t filesz = field(phdr + 32, 8), memsz = field(phdr + 40, 8);
    const unsigned char *mem = (const unsigned char *)vaddr;
    // The file's bytes, in chunks.
    unsigned char chunk[512];
    for (uint64_t done = 0; done < filesz; done += sizeof chunk) {
      uint64_t n = filesz - done < sizeof chunk ? filesz - done : sizeof chunk;
      CHECK_EQ(seek(fd, offset + done, SEEK_SET), offset + done);
      CHECK_EQ(read(fd, chunk, n), n);
      CHECK(memcmp(mem + done, chunk, n) == 0);
    }
    // Zeros after them, to the end of the last page.
    uint64_t end = (vaddr + memsz + 4095) & ~4095ul;
    for (uint64_t a = vaddr + filesz; a < end; a++) {
      if (*(const unsigned char *)a != 0) {
        printf("FAIL byte %#lx of the segment at %#lx is %d, not 0\n", a, vaddr,
               *(const unsigned char *)a);
        exit(1);
      }
    }
    for (uint64_t page = vaddr & ~4095ul; page < end; page += 4096) {
      expect_pte((const void *)page, (flags & 2) != 0, (flags & 1) == 0, "segment");
    }
  }
  CHECK_EQ(close(fd), 0);
  return loads;
}

int main(int argc, char **argv) {
  volatile char sink;
  CHECK_EQ(argc, 1);
  printf("%d segments loaded\n", check_segments(argv[0]));
  // Text: where the linker put it, executable, not writable.
  CHECK((uintptr_t)main >= 0x401000 && (uintptr_t)main < 0x500000);
  expect_pte((const void *)main, 0, 0, "text");
  // Read-only data.
  sink = kRodata[0];
  CHECK(strcmp(kRodata, "read-only data") == 0);
  expect_pte(kRodata, 0, 1, "rodata");
  // Data and bss: the initial value, zeros, writable, not executable.
  CHECK_EQ(data_word, 0x4b654f53);
  data_word++;
  expect_pte(&data_word, 1, 1, "data");
  // Read through volatile pointers: the compiler must not assume the zeros.
  const volatile char *small = bss_small, *large = bss_large;
  for (unsigned i = 0; i < sizeof bss_small; i++) CHECK_EQ(small[i], 0);
  for (unsigned i = 0; i < sizeof bss_large; i++) CHECK_EQ(large[i], 0);
  bss_small[0] = 1;
  bss_large[sizeof bss_large - 1] = 1;
  expect_pte(bss_small, 1, 1, "bss");
  expect_pte(&bss_large[sizeof bss_large - 1], 1, 1, "bss");

  // Nothing at page 0 or at 0x400000.
  CHECK_ERR(test_get_phys((void *)0, 0), EINVAL);
  CHECK_ERR(test_get_phys((void *)0x400000, 0), EINVAL);
  CHECK_ERR(write(1, (void *)0x400000, 1), EFAULT);
  CHECK_ERR(write(1, (void *)0x400fff, 1), EFAULT);

  // The stack: this frame is in it, and so are both of its ends.
  int local = 7;
  CHECK((uintptr_t)&local >= STACK_BOTTOM && (uintptr_t)&local < STACK_TOP);
  expect_pte(&local, 1, 1, "stack");
  volatile char *bottom = (volatile char *)STACK_BOTTOM;
  bottom[0] = 'k';
  bottom[4095] = 'o';
  CHECK_EQ(bottom[0], 'k');
  CHECK_EQ(bottom[4095], 'o');
  expect_pte((const void *)STACK_BOTTOM, 1, 1, "stack bottom");
  CHECK_EQ(write(1, (const void *)STACK_BOTTOM, 0), 0);
  // ... and not one byte more.
  CHECK_ERR(write(1, (const void *)(STACK_BOTTOM - 1), 1), EFAULT);
  CHECK_ERR(write(1, (const void *)(STACK_BOTTOM - 1), 2), EFAULT);
  CHECK_ERR(write(1, (const void *)STACK_TOP, 1), EFAULT);
  CHECK_ERR(write(1, (const void *)(STACK_TOP - 1), 2), EFAULT);
  CHECK_ERR(test_get_phys((const void *)(STACK_BOTTOM - 4096), 0), EINVAL);
  CHECK_ERR(test_get_phys((const void *)STACK_TOP, 0), EINVAL);

  // User code runs with interrupts enabled and the direction flag clear.
  unsigned long flags;
  __asm__ volatile("pushfq; popq %0" : "=r"(flags));
  CHECK(flags & (1ul << 9));
  CHECK(!(flags & (1ul << 10)));
  CHECK_EQ((flags >> 12) & 3, 0);  // IOPL 0
  (void)sink;
  printf("sys_layout: ok\n");
  return 0;
}
