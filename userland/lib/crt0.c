// crt0: where a user program starts. The kernel enters _start with RDI = argc and
// RSI = argv and RSP pointing at a zero return address, exactly as if _start had been
// called, so _start is an ordinary C function.
#include <syscall.h>

int main(int argc, char **argv);

__attribute__((noreturn, used)) void _start(int argc, char **argv) { exit(main(argc, argv)); }
