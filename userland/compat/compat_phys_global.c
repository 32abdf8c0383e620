// The physical address of an initialized global, asked right after start, before the
// program touches it: KeOS loads every page holding file bytes, so this is an address.
#include <syscall.h>
#include <syscall-nr.h>
#include <stdio.h>

uint64_t get_phys(void *addr, int mode) { return syscall2(SYS_GETPHYS, addr, mode); }

int initialized = 0x1234;
const char greeting[] = "a read-only global";

int main(int argc, char *argv[]) {
    uint64_t pa = get_phys(&initialized, 0);
    uint64_t pte = get_phys(&initialized, 1);
    uint64_t ro_pte = get_phys((void *)greeting, 1);
    uint64_t text_pte = get_phys((void *)main, 1);

    if ((int64_t)pa < 0) {
        printf("get_phys(&initialized, 0) failed: %lld\n", (int64_t)pa);
        return 1;
    }
    printf("get_phys(&initialized, 0) is an address\n");
    printf("same offset in the page: %s\n",
           (pa & 0xfff) == ((uint64_t)&initialized & 0xfff) ? "yes" : "no");
    printf("data: present %lld, writable %lld, no-exec %lld\n", pte & 1, (pte >> 1) & 1,
           pte >> 63);
    printf("rodata: present %lld, writable %lld, no-exec %lld\n", ro_pte & 1,
           (ro_pte >> 1) & 1, ro_pte >> 63);
    printf("text: present %lld, writable %lld, no-exec %lld\n", text_pte & 1,
           (text_pte >> 1) & 1, text_pte >> 63);
    printf("initialized = %x, %s\n", initialized, greeting);
    return 0;
}
