// open, read and close on the root file system's hello.
#include <syscall.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char *argv[]) {
    char buf[200];
    int fd = open("hello", O_RDONLY);
    ssize_t n;

    printf("open returned %d\n", fd);
    n = read(fd, buf, 32);
    buf[n] = '\0';
    printf("read %ld bytes: %s", (long)n, buf);
    printf("\n");
    n = read(fd, buf, sizeof(buf));
    printf("then %ld more bytes\n", (long)n);
    n = read(fd, buf, sizeof(buf));
    printf("then %ld at the end\n", (long)n);
    printf("close returned %d\n", close(fd));
    return 0;
}
