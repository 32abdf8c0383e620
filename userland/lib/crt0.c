// crt0: where a user program starts. The kernel enters _start with RDI = argc and
// RSI = argv and RSP pointing at a zero return address, exactly as if _start had been
// called, so _start is an ordinary C function, with one exception: the ABI aligns the
// argument block only to 8 bytes, so RSP + 8 at entry is 16-byte aligned for some
// argument lists and not for others. The C code below (and SSE spills in it, such as
// printf's movaps) needs the System V alignment: _start realigns the stack itself.
#include <syscall.h>

int main(int argc, char **argv);

__attribute__((noreturn, used, force_align_arg_pointer)) void _start(int argc, char **argv) {
  exit(main(argc, argv));
}
