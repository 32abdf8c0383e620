// fork_basic: the smallest complete fork. The child sees the globals as they were at the
// fork, talks to the parent through a pipe opened before it, and its writes stay its own.
// The transcript is compared exactly (the pipe orders the two processes' lines).
#include <stdio.h>
#include <string.h>
#include <syscall.h>

int global = 1;
char message[32] = "unchanged";

int main(void) {
  int fds[2];
  char buf[64];
  global = 42;  // after loading, before the fork: the child must see 42
  printf("fork_basic: before fork\n");
  if (pipe(fds) != 0) return 2;
  long pid = fork();
  if (pid < 0) {
    printf("fork failed: %ld\n", pid);
    return 3;
  }
  if (pid == 0) {
    close(fds[0]);
    printf("child: global=%d message=%s\n", global, message);
    global = 7;
    strcpy(message, "child's");
    printf("child: now global=%d message=%s\n", global, message);
    const char *hello = "hello from the child";
    write(fds[1], hello, strlen(hello));
    exit(0);
  }
  close(fds[1]);
  long n = read(fds[0], buf, sizeof buf - 1);
  if (n <= 0) return 4;
  buf[n] = '\0';
  printf("parent: child said \"%s\"\n", buf);
  // The child's end is closed when it exits: then the pipe reports end of file.
  while (read(fds[0], buf, sizeof buf) > 0) {
  }
  printf("parent: global=%d message=%s\n", global, message);
  printf("fork_basic: done\n");
  return 0;
}
