// sys_args: the arguments and the initial user stack (keos-port-facts.md, "Processes").
//
// Prints argc, argv, every argument with its address, argv[argc] and the fake return
// address below argv (where the initial RSP points); the tests compare that output with
// the addresses the layout rules give. The program also recomputes the layout from the
// strings it received: strings packed from the top of the stack (0x47480000) down, last
// argument first, each with its NUL; then 8-byte alignment; a NULL; the pointers; a zero
// return address.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

#define STACK_TOP 0x47480000ul

int main(int argc, char **argv) {
  printf("argc=%d\n", argc);
  printf("argv=0x%lx\n", (uintptr_t)argv);
  for (int i = 0; i < argc; i++) printf("argv[%d]=0x%lx \"%s\"\n", i, (uintptr_t)argv[i], argv[i]);
  printf("argv[%d]=0x%lx\n", argc, (uintptr_t)argv[argc]);
  uint64_t *ret = (uint64_t *)argv - 1;
  printf("rsp=0x%lx return=0x%lx\n", (uintptr_t)ret, *ret);

  CHECK(argc >= 1);
  uintptr_t at = STACK_TOP;
  for (int i = argc - 1; i >= 0; i--) {
    at -= strlen(argv[i]) + 1;
    CHECK_EQ(argv[i], at);
  }
  at &= ~(uintptr_t)7;
  CHECK_EQ(&argv[argc], at - 8);
  CHECK_EQ(argv[argc], 0);
  CHECK_EQ(argv, at - 8 * (uintptr_t)(argc + 1));
  CHECK_EQ(*ret, 0);
  CHECK_EQ((uintptr_t)ret % 8, 0);

  // The strings live on the read-write stack: a program may change them.
  char saved = argv[0][0];
  argv[0][0] = '#';
  CHECK_EQ(argv[0][0], '#');
  argv[0][0] = saved;
  return 0;
}
