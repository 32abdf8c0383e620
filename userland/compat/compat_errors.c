// The negative errno values of the ABI, as course tests compare them.
#include <syscall.h>
#include <stdio.h>

int main(int argc, char *argv[]) {
    char buf[8];
    int fd;

    printf("read on a bad fd: %ld\n", (long)read(77, buf, 1));
    printf("open of a missing file: %d\n", open("no_such_file", O_RDONLY));
    printf("open with bad flags: %d\n", open("hello", 7));
    printf("read into NULL: %ld\n", (long)read(0, NULL, 1));
    printf("write from a kernel address: %ld\n",
           (long)write(1, (void *)0xffffff0000100000ULL, 4));
    fd = open("hello", O_RDONLY);
    printf("write on a read-only fd: %ld\n", (long)write(fd, "x", 1));
    printf("close: %d\n", close(fd));
    printf("close again: %d\n", close(fd));
    return 0;
}
