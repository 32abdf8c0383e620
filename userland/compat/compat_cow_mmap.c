// Copy-on-write of an anonymous mapping: both processes write after fork and each keeps
// its own value; the frames split.
#include <syscall.h>
#include <syscall-nr.h>
#include <mman.h>
#include <stdio.h>

uint64_t get_phys(void *addr, int mode) { return syscall2(SYS_GETPHYS, addr, mode); }

int main(int argc, char *argv[]) {
    volatile uint64_t *p = mmap((void *)0x10000000, 4096, PROT_READ | PROT_WRITE, -1, 0);
    uint64_t frame;
    int to_child[2], to_parent[2];
    char c;

    p[0] = 0x1111;
    frame = get_phys((void *)p, 0);
    pipe(to_child);
    pipe(to_parent);
    if (fork() == 0) {
        printf("child: sees %llx in the shared frame: %s\n", p[0],
               get_phys((void *)p, 0) == frame ? "yes" : "no");
        p[0] = 0x2222;
        write(to_parent[1], "w", 1);
        read(to_child[0], &c, 1);
        printf("child: still %llx after the parent's write\n", p[0]);
        exit(0);
    }
    read(to_parent[0], &c, 1);
    printf("parent: still %llx after the child's write\n", p[0]);
    p[0] = 0x3333;
    write(to_child[1], "w", 1);
    close(to_child[1]);
    close(to_parent[1]);
    while (read(to_parent[0], &c, 1) > 0)
        ;
    printf("parent: %llx at the end\n", p[0]);
    return 0;
}
