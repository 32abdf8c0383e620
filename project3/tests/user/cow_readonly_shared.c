// cow_readonly_shared: pages nobody may write stay shared for good. After a fork and
// writes by both processes to every writable page, the program's text and read-only data,
// and a read-only file mapping, still use one frame in both processes, and still have no
// write right.
#include <fcntl.h>
#include <mman.h>
#include <string.h>

#include "fork_util.h"

static const char rodata[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE))) = "constant";
char data[4 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static void write_everything(char value) {
  for (int i = 0; i < 4; i++) data[i * PAGE_SIZE] = value;
  char stack[2 * PAGE_SIZE];
  memset(stack, value, sizeof stack);
  __asm__ volatile("" : : "r"(stack) : "memory");
}

int main(void) {
  volatile const char *file = (volatile const char *)0x20000000;
  int fd = open("hello", O_RDONLY);
  ASSERT(mmap((void *)file, PAGE_SIZE, PROT_READ, fd, 0) == (void *)file);
  const void *pages[3] = {(const void *)main, rodata, (const void *)file};
  unsigned long frames[3];
  volatile const char *constant = rodata;  // read it for real: the compiler knows its value
  ASSERT(constant[0] == 'c' && file[0] == 'W');
  write_everything(1);
  for (int i = 0; i < 3; i++) frames[i] = phys_of(pages[i]) & ~0xffful;
  int to_parent[2], to_child[2];
  ASSERT(pipe(to_parent) == 0 && pipe(to_child) == 0);
  long pid = must_fork();
  write_everything(pid == 0 ? 2 : 3);
  if (pid == 0) {
    signal_other(to_parent[1]);
    wait_other(to_child[0]);  // the parent has written too
  } else {
    wait_other(to_parent[0]);
    signal_other(to_child[1]);
  }
  for (int i = 0; i < 3; i++) {
    ASSERT((phys_of(pages[i]) & ~0xffful) == frames[i]);
    ASSERT((pte_of(pages[i]) & PTE_RW) == 0);
  }
  ASSERT(constant[0] == 'c' && file[0] == 'W');
  if (pid == 0) {
    printf("child: read-only pages still shared\n");
    exit(0);
  }
  close(to_parent[1]);
  drain_until_closed(to_parent[0]);
  printf("parent: read-only pages still shared\n");
  return 0;
}
