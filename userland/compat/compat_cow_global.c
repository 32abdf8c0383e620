// Copy-on-write seen through get_phys: after fork the child shares the parent's frame of
// an initialized global, read-only; its first write gives it a frame of its own.
#include <syscall.h>
#include <syscall-nr.h>
#include <stdio.h>

uint64_t get_phys(void *addr, int mode) { return syscall2(SYS_GETPHYS, addr, mode); }

int shared = 100;

int main(int argc, char *argv[]) {
    uint64_t before = get_phys(&shared, 0);
    int fds[2];
    char c;

    printf("parent: the global's page is present: %s\n", (int64_t)before > 0 ? "yes" : "no");
    pipe(fds);
    if (fork() == 0) {
        close(fds[0]);
        printf("child: same frame as the parent: %s\n",
               get_phys(&shared, 0) == before ? "yes" : "no");
        printf("child: read-only after fork: %s\n", (get_phys(&shared, 1) & 2) ? "no" : "yes");
        shared = 200;
        printf("child: own frame after a write: %s\n",
               get_phys(&shared, 0) != before ? "yes" : "no");
        printf("child: writable again: %s\n", (get_phys(&shared, 1) & 2) ? "yes" : "no");
        printf("child: no-exec kept: %s\n", (get_phys(&shared, 1) >> 63) ? "yes" : "no");
        printf("child: shared = %d\n", shared);
        exit(0);
    }
    close(fds[1]);
    while (read(fds[0], &c, 1) > 0)
        ;
    printf("parent: shared = %d, frame unchanged: %s\n", shared,
           get_phys(&shared, 0) == before ? "yes" : "no");
    return 0;
}
