// seek and tell: SEEK_SET, SEEK_CUR, SEEK_END, past the end.
#include <syscall.h>
#include <stdio.h>

int main(int argc, char *argv[]) {
    char c;
    int fd = open("hello2", O_RDONLY);

    printf("end at %ld\n", (long)seek(fd, 0, SEEK_END));
    printf("set to %ld\n", (long)seek(fd, 11, SEEK_SET));
    read(fd, &c, 1);
    printf("byte 11 is '%c', tell %ld\n", c, (long)tell(fd));
    printf("cur +3 to %ld\n", (long)seek(fd, 3, SEEK_CUR));
    printf("past the end to %ld\n", (long)seek(fd, 500, SEEK_SET));
    printf("read there gives %ld\n", (long)read(fd, &c, 1));
    printf("seek on stdout gives %ld\n", (long)seek(1, 0, SEEK_SET));
    close(fd);
    return 0;
}
