// syscall() called directly with six arguments, and syscallN with pointers passed as they
// are: the two ways course programs reach the kernel without the wrappers.
#include <syscall.h>
#include <syscall-nr.h>
#include <stdio.h>

static char msg[] = "written by syscall()\n";

int main(int argc, char *argv[]) {
    const char *other = "written by syscall3()\n";
    int64_t r;

    r = syscall(SYS_WRITE, 1, (uint64_t)msg, sizeof(msg) - 1, 0, 0, 0);
    printf("syscall returned %lld\n", r);
    r = syscall3(SYS_WRITE, 1, other, 22);
    printf("syscall3 returned %lld\n", r);
    r = syscall3(SYS_WRITE, 1, other, 0);
    printf("a write of 0 bytes returned %lld\n", r);
    r = syscall0(0x7e);
    printf("an unknown number returned %lld\n", r);
    return 0;
}
