// libc_assert: ASSERT (debug.h). Holding assertions do nothing; a failing one prints
//   User process ABORT at FILE:LINE in FUNC(): assertion `COND' failed.
// with FILE as the compiler saw it (userland/tests/libc_assert.c), the condition as
// written, and the enclosing function, then ends the process with exit code 1.
#include <debug.h>
#include <stdio.h>

static int sum(const int *values, int n) {
  int total = 0;
  for (int i = 0; i < n; i++) total += values[i];
  return total;
}

static void check_total(const int *values) {
  ASSERT(sum(values, 3) == 6);
  ASSERT(sum(values, 4) == 11);  // fails: the sum is 10
  printf("not reached: after the failed assertion\n");
}

int main(void) {
  static const int kValues[] = {1, 2, 3, 4};
  ASSERT(kValues[0] == 1);
  ASSERT(1);
  printf("before the assertion\n");
  check_total(kValues);
  printf("not reached: after check_total\n");
  return 0;
}
