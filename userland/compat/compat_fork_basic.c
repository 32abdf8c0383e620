// fork returns 0 in the child and the child's id in the parent; the parent waits for the
// child's end through a pipe (its read fails with EPIPE once every writer is gone).
#include <syscall.h>
#include <stdio.h>

int main(int argc, char *argv[]) {
    int fds[2];
    char c;
    pid_t pid;

    pipe(fds);
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        printf("child: fork returned 0\n");
        exit(3);
    }
    close(fds[1]);
    while (read(fds[0], &c, 1) > 0)
        ;
    printf("parent: fork returned a positive id: %s\n", pid > 0 ? "yes" : "no");
    return 0;
}
