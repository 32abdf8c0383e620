// A pipe in one process: what goes in comes out, then EPIPE once the writer is closed.
#include <syscall.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char *argv[]) {
    int fds[2];
    char buf[32];
    ssize_t n;
    int r = pipe(fds);

    printf("pipe returned %d, fds %d %d\n", r, fds[0], fds[1]);
    printf("write returned %ld\n", (long)write(fds[1], "through the pipe", 16));
    n = read(fds[0], buf, sizeof(buf));
    buf[n] = '\0';
    printf("read %ld: %s\n", (long)n, buf);
    printf("read on the write end: %ld\n", (long)read(fds[1], buf, 1));
    close(fds[1]);
    printf("read after the writer closed: %ld\n", (long)read(fds[0], buf, 1));
    return 0;
}
