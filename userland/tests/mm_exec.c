// mm_exec: executable mappings. Code copied into an anonymous read-write-execute page
// runs (and runs again after it is rewritten), and a read-execute file mapping of the
// program's own text segment runs the function found at the same place in it.
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
#define PTE_XD (1ul << 63)

typedef int (*int_fn)(void);

static void anonymous_code(void) {
  static const uint8_t mov_eax_1_ret[] = {0xb8, 0x01, 0x00, 0x00, 0x00, 0xc3};
  uint8_t *code = mmap((void *)BASE, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_ANONYMOUS_FD, 0);
  EXPECT("mmap rwx", (long)code, (long)BASE);
  memcpy(code, mov_eax_1_ret, sizeof mov_eax_1_ret);
  EXPECT("the entry is executable", (long)(((unsigned long)test_get_phys(code, 1) & PTE_XD) != 0), 0);
  int_fn fn = (int_fn)(uintptr_t)code;
  EXPECT("mov eax,1; ret in an rwx page", fn(), 1);
  code[1] = 42;  // mov eax, 42
  EXPECT("the rewritten code", fn(), 42);
  uint8_t *far = code + PAGE - sizeof mov_eax_1_ret;  // the end of the page works too
  memcpy(far, mov_eax_1_ret, sizeof mov_eax_1_ret);
  EXPECT("code at the end of the page", ((int_fn)(uintptr_t)far)(), 1);
  printf("mm_exec: code in an anonymous rwx page runs\n");
}

__attribute__((noinline)) static int forty_two(void) {
  __asm__ volatile("");
  return 42;
}

// The file offset and address of the executable PT_LOAD segment of this program.
static void find_text(int fd, unsigned long *offset, unsigned long *vaddr) {
  static uint8_t header[PAGE];
  EXPECT("read the ELF header", read(fd, header, sizeof header) > 64, 1);
  uint64_t phoff;
  uint16_t phentsize, phnum;
  memcpy(&phoff, header + 32, 8);
  memcpy(&phentsize, header + 54, 2);
  memcpy(&phnum, header + 56, 2);
  for (unsigned i = 0; i < phnum; ++i) {
    const uint8_t *ph = header + phoff + (unsigned long)i * phentsize;
    uint32_t type, flags;
    memcpy(&type, ph, 4);
    memcpy(&flags, ph + 4, 4);
    if (type != 1 || (flags & 1) == 0) continue;  // PT_LOAD with X
    memcpy(offset, ph + 8, 8);
    memcpy(vaddr, ph + 16, 8);
    return;
  }
  EXPECT_TRUE("an executable segment", 0);
}

static void file_code(void) {
  int fd = open("mm_exec", O_RDONLY);
  EXPECT_TRUE("open mm_exec", fd >= 3);
  unsigned long offset, vaddr;
  find_text(fd, &offset, &vaddr);
  EXPECT("the text's offset and address agree within a page", (offset ^ vaddr) & (PAGE - 1), 0);
  unsigned long fn_addr = (unsigned long)(uintptr_t)forty_two;
  unsigned long page = (fn_addr & ~(PAGE - 1)) - vaddr + (offset & ~(PAGE - 1));
  uint8_t *text = mmap((void *)(BASE + 16 * PAGE), 2 * PAGE, PROT_READ | PROT_EXEC, fd, (long)page);
  EXPECT("mmap r-x of the text", (long)text, (long)(BASE + 16 * PAGE));
  int_fn copy = (int_fn)(uintptr_t)(text + (fn_addr & (PAGE - 1)));
  EXPECT("the function in the file mapping", copy(), 42);
  EXPECT("the function itself", forty_two(), 42);
  close(fd);
  printf("mm_exec: code in a read-execute file mapping runs\n");
}

int main(void) {
  anonymous_code();
  file_code();
  printf("mm_exec: ok\n");
  return 0;
}
