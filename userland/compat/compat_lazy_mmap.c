// mmap is lazy: an untouched page has no entry (get_phys says EINVAL); a touched one has.
#include <syscall.h>
#include <syscall-nr.h>
#include <mman.h>
#include <stdio.h>

uint64_t get_phys(void *addr, int mode) { return syscall2(SYS_GETPHYS, addr, mode); }

int main(int argc, char *argv[]) {
    char *p = mmap((void *)0x10000000, 2 * 4096, PROT_READ | PROT_WRITE, -1, 0);
    uint64_t pa;

    printf("before a touch: %lld\n", (int64_t)get_phys(p, 0));
    p[10] = 1;
    pa = get_phys(p + 10, 0);
    printf("after a touch: an address: %s\n", (int64_t)pa > 0 ? "yes" : "no");
    printf("offset kept: %llx\n", pa & 0xfff);
    printf("the PTE is writable: %s\n", (get_phys(p, 1) & 2) ? "yes" : "no");
    printf("the PTE is not executable: %s\n", (get_phys(p, 1) >> 63) ? "yes" : "no");
    printf("the next page: %lld\n", (int64_t)get_phys(p + 4096, 0));
    return 0;
}
