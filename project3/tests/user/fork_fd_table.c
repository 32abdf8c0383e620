// fork_fd_table: the child gets a copy of the descriptor table. Each descriptor starts at
// the parent's offset; after that, seeks and reads in one process do not move the other's
// offset; closing a descriptor in the child leaves the parent's open.
#include <debug.h>
#include <fcntl.h>
#include <string.h>

#include "fork_util.h"

int main(void) {
  char start[16], buf[16];
  int fd = open("hello", O_RDONLY);
  ASSERT(fd == 3);
  ASSERT(read(fd, start, 10) == 10);  // offset 10
  int done[2];
  ASSERT(pipe(done) == 0);
  long pid = must_fork();
  if (pid == 0) {
    close(done[0]);
    ASSERT(tell(fd) == 10);            // inherited
    ASSERT(seek(fd, 100, SEEK_SET) == 100);
    ASSERT(read(fd, buf, 5) == 5);
    ASSERT(tell(fd) == 105);
    ASSERT(close(fd) == 0);             // the parent's stays open
    int again = open("hello2", O_RDONLY);
    ASSERT(again == 3);                 // the lowest free descriptor, in the child's table
    ASSERT(read(again, buf, 9) == 9);
    ASSERT(memcmp(buf, "Welcome t", 9) == 0);
    printf("child: ok\n");
    exit(0);
  }
  close(done[1]);
  drain_until_closed(done[0]);  // the child has exited
  ASSERT(tell(fd) == 10);       // unmoved by the child's seek and read
  ASSERT(read(fd, buf, 5) == 5);
  ASSERT(memcmp(buf, " KeOS", 5) == 0);  // bytes 10..14 of "Welcome to KeOS Project!"
  ASSERT(close(fd) == 0);
  printf("parent: ok\n");
  return 0;
}
