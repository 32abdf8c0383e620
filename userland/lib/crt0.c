// crt0: where a user program starts. The kernel enters _start with RDI = argc and
// RSI = argv and RSP pointing at a zero return address, as if _start had been called, so
// _start is an ordinary C function. One difference: the argument strings above the stack
// pointer have whatever length they have, so RSP is only 8-byte aligned, not 16-byte
// aligned as the x86-64 ABI promises a called function (SSE stores to the stack would
// fault). force_align_arg_pointer makes _start realign the stack before it calls main.
#include <syscall.h>

int main(int argc, char **argv);

__attribute__((noreturn, used, force_align_arg_pointer)) void _start(int argc, char **argv) {
  exit(main(argc, argv));
}
