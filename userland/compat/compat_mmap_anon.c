// Anonymous mmap and munmap, with the wrappers and with syscall5/syscall1.
#include <syscall.h>
#include <syscall-nr.h>
#include <mman.h>
#include <stdio.h>

#define ADDR 0x10000000ULL

int main(int argc, char *argv[]) {
    char *p = mmap((void *)ADDR, 3 * 4096, PROT_READ | PROT_WRITE, -1, 0);
    int64_t r;
    int i, zero = 1;

    printf("mmap returned %llx\n", (uint64_t)p);
    for (i = 0; i < 3 * 4096; i++)
        if (p[i] != 0)
            zero = 0;
    printf("fresh memory is zero: %s\n", zero ? "yes" : "no");
    p[5000] = 42;
    printf("p[5000] = %d\n", p[5000]);
    printf("munmap returned %d\n", munmap(p));
    printf("munmap again: %d\n", munmap(p));
    r = syscall5(SYS_MMAP, ADDR + 0x100000, 4096, PROT_READ, -1, 0);
    printf("syscall5 mmap returned %llx\n", r);
    r = syscall1(SYS_MUNMAP, ADDR + 0x100000);
    printf("syscall1 munmap returned %lld\n", r);
    return 0;
}
