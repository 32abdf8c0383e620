// A private file mapping of hello: the file's bytes, then zeros; writes stay private.
#include <syscall.h>
#include <mman.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char *argv[]) {
    char buf[140];
    int fd = open("hello3", O_RDONLY);
    char *p = mmap((void *)0x20000000, 4096, PROT_READ | PROT_WRITE, fd, 0);

    printf("mmap returned %llx\n", (uint64_t)p);
    read(fd, buf, sizeof(buf));
    printf("mapping matches read(): %s\n", memcmp(p, buf, 140) == 0 ? "yes" : "no");
    printf("byte 140 is %d, byte 4095 is %d\n", p[140], p[4095]);
    p[0] = 'w';
    seek(fd, 0, SEEK_SET);
    read(fd, buf, 1);
    printf("the file still starts with '%c'\n", buf[0]);
    printf("%.24s\n", p + 1);
    return 0;
}
