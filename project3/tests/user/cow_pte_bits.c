// cow_pte_bits: what fork and a copy-on-write fault do to the page-table entry
// (get_phys mode 1). A writable non-executable page: RW and XD before the fork; RW clear
// and XD kept in both processes right after; RW back (and XD still there) in the writer
// after its write. A writable executable page: XD clear throughout. A read-only page: RW
// clear throughout, in both processes.
#include <mman.h>

#include "fork_util.h"

#define DATA ((volatile char *)0x20000000)
#define CODE ((volatile char *)0x20001000)
#define READ_ONLY ((volatile char *)0x20002000)

static void show(const char *who, const char *when) {
  unsigned long data = pte_of((const void *)DATA), code = pte_of((const void *)CODE);
  unsigned long ro = pte_of((const void *)READ_ONLY);
  printf("%s %s: data RW=%d XD=%d, code RW=%d XD=%d, read-only RW=%d XD=%d\n", who, when,
         !!(data & PTE_RW), !!(data & PTE_XD), !!(code & PTE_RW), !!(code & PTE_XD),
         !!(ro & PTE_RW), !!(ro & PTE_XD));
}

int main(void) {
  ASSERT(mmap((void *)DATA, PAGE_SIZE, PROT_READ | PROT_WRITE, -1, 0) == (void *)DATA);
  ASSERT(mmap((void *)CODE, PAGE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC, -1, 0) ==
         (void *)CODE);
  ASSERT(mmap((void *)READ_ONLY, PAGE_SIZE, PROT_READ, -1, 0) == (void *)READ_ONLY);
  DATA[0] = 1;
  CODE[0] = (char)0xc3;  // ret
  ASSERT(READ_ONLY[0] == 0);
  show("parent", "before fork");
  int turn[2];
  ASSERT(pipe(turn) == 0);
  long pid = must_fork();
  if (pid == 0) {
    close(turn[0]);
    show("child", "after fork");
    DATA[0] = 2;
    CODE[0] = (char)0xc3;
    show("child", "after writes");
    exit(0);
  }
  close(turn[1]);
  drain_until_closed(turn[0]);  // the child has ended: the parent's turn
  show("parent", "after fork");
  DATA[0] = 3;
  CODE[0] = (char)0xc3;
  show("parent", "after writes");
  return 0;
}
