// Only syscall.h (and syscall-nr.h for the numbers): bool, size_t, int64_t, the O_ and
// SEEK_ flags, struct stat and struct dirent come with it.
#include <syscall.h>
#include <syscall-nr.h>

int main(int argc, char *argv[]) {
    int64_t fd = syscall2(SYS_OPEN, "hello", O_RDONLY);
    bool opened = fd >= 3;
    size_t n = sizeof(struct stat) > 0 && sizeof(struct dirent) > 0;
    char buf[9];

    ASSERT(opened);
    syscall3(SYS_SEEK, fd, 11, SEEK_SET);
    syscall3(SYS_READ, fd, buf, 4);
    buf[4] = '\n';
    syscall3(SYS_WRITE, 1, buf, 5);
    return (int)n - 1;
}
