// mm_stackalign: main() runs on a 16-byte aligned stack (RSP + 8 aligned at its entry,
// as the System V ABI says) whatever the arguments. The kernel aligns the argument block
// only to 8 bytes (keos-port-facts.md), so it is crt0's job; code compiled for the ABI
// (printf's SSE spills with movaps) faults on a misaligned stack.
#include <stdint.h>
#include <stdio.h>

// The empty asm keeps the compiler from deducing the answer from the local's alignment.
__attribute__((noinline)) static int misalignment(const void *p) {
  uintptr_t v = (uintptr_t)p;
  __asm__ volatile("" : "+r"(v));
  return (int)(v & 15);
}

int main(int argc, char **argv) {
  _Alignas(16) char local[16] = {0};
  int off = misalignment(local);
  printf("mm_stackalign: argc=%d last=%s misalignment=%d\n", argc, argv[argc - 1], off);
  return off == 0 ? 0 : 1;
}
