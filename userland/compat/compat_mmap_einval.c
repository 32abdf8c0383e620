// mmap arguments the kernel must refuse with EINVAL (-22).
#include <syscall.h>
#include <mman.h>
#include <stdio.h>

int main(int argc, char *argv[]) {
    int64_t r;

    printf("address 0: %lld\n", (int64_t)mmap(NULL, 4096, PROT_READ, -1, 0));
    printf("unaligned: %lld\n", (int64_t)mmap((void *)0x10000010, 4096, PROT_READ, -1, 0));
    printf("length 0: %lld\n", (int64_t)mmap((void *)0x10000000, 0, PROT_READ, -1, 0));
    printf("kernel address: %lld\n",
           (int64_t)mmap((void *)0xffffff0000000000ULL, 4096, PROT_READ, -1, 0));
    mmap((void *)0x10000000, 8192, PROT_READ, -1, 0);
    printf("overlap: %lld\n", (int64_t)mmap((void *)0x10001000, 4096, PROT_READ, -1, 0));
    printf("over the program: %lld\n", (int64_t)mmap((void *)0x401000, 4096, PROT_READ, -1, 0));
    r = (int64_t)mmap((void *)0x30000000, 4096, PROT_READ, 1, 0);
    printf("stdout as a file: %s\n", r < 0 && r > -256 ? "an error" : "mapped");
    return 0;
}
