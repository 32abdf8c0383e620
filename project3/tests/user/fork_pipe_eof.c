// fork_pipe_eof: a pipe's write end copied by fork counts as open until the child closes
// it too. The parent closes its own write end first; its read must still wait for the
// child's data, and end of file (EPIPE) comes only after the child has exited.
#include <debug.h>

#include "fork_util.h"

int main(void) {
  int data[2], go[2];
  char byte;
  ASSERT(pipe(data) == 0 && pipe(go) == 0);
  long pid = must_fork();
  if (pid == 0) {
    close(data[0]);
    close(go[1]);
    ASSERT(read(go[0], &byte, 1) == 1);  // wait until the parent reads
    ASSERT(write(data[1], "x", 1) == 1);
    exit(0);  // closes the child's write end
  }
  close(data[1]);  // the child's copy is the last write end now
  close(go[0]);
  ASSERT(write(go[1], "g", 1) == 1);
  // The pipe is empty here, but a writer exists: this read waits for the child's byte.
  long n = read(data[0], &byte, 1);
  if (n != 1) {
    printf("read returned %ld before the child wrote: end of file came too early\n", n);
    return 1;
  }
  ASSERT(byte == 'x');
  n = read(data[0], &byte, 1);  // returns once the child has exited
  ASSERT(n == EPIPE_RESULT);
  printf("fork_pipe_eof: ok\n");
  return 0;
}
