// crt0: where a user program starts. The kernel enters _start with RDI = argc and
// RSI = argv and RSP pointing at a zero return address, exactly as if _start had been
// called, so _start is an ordinary C function.
//
// The ABI aligns that return address only to 8 bytes (the argument strings decide whether
// RSP is 0 or 8 modulo 16), while the C calling convention wants RSP + 8 to be a multiple
// of 16 at entry: force_align_arg_pointer makes _start realign its own frame, so that main
// and everything below it may keep SSE values on the stack with aligned moves.
#include <syscall.h>

int main(int argc, char **argv);

__attribute__((noreturn, used, force_align_arg_pointer)) void _start(int argc, char **argv) {
  exit(main(argc, argv));
}
