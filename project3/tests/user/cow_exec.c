// cow_exec: copy-on-write of an executable page. The child patches one byte of a small
// function in a writable, executable page and runs its copy; the parent still runs the
// original, from the original frame.
#include <mman.h>
#include <string.h>

#include "fork_util.h"

typedef int (*Function)(void);

int main(void) {
  volatile unsigned char *code = (volatile unsigned char *)0x20000000;
  ASSERT(mmap((void *)code, PAGE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC, -1, 0) ==
         (void *)code);
  static const unsigned char return_one[] = {0xb8, 0x01, 0x00, 0x00, 0x00, 0xc3};  // mov eax,1; ret
  memcpy((void *)code, return_one, sizeof return_one);
  Function function = (Function)(unsigned long)code;
  ASSERT(function() == 1);
  unsigned long frame = frame_of(code);
  int done[2];
  ASSERT(pipe(done) == 0);
  long pid = must_fork();
  if (pid == 0) {
    close(done[0]);
    ASSERT(function() == 1);  // the shared page still runs
    code[1] = 0x02;           // now mov eax,2
    ASSERT(frame_of(code) != frame);
    ASSERT((pte_of((const void *)code) & PTE_XD) == 0);  // the copy is still executable
    printf("child: runs its copy: %d\n", function());
    exit(0);
  }
  close(done[1]);
  drain_until_closed(done[0]);
  ASSERT(frame_of(code) == frame);
  printf("parent: runs the original: %d\n", function());
  return 0;
}
