// The system-call wrappers of syscall.h: each passes its arguments through unchanged.
#include <syscall.h>

void exit(int status) {
  syscall1(SYS_EXIT, status);
  __builtin_unreachable();
}

int open(const char *path, int flags) { return (int)syscall2(SYS_OPEN, (long)path, flags); }

ssize_t read(int fd, void *buf, size_t n) { return syscall3(SYS_READ, fd, (long)buf, (long)n); }

ssize_t write(int fd, const void *buf, size_t n) {
  return syscall3(SYS_WRITE, fd, (long)buf, (long)n);
}

off_t seek(int fd, off_t offset, int whence) { return syscall3(SYS_SEEK, fd, offset, whence); }

off_t tell(int fd) { return syscall1(SYS_TELL, fd); }

int close(int fd) { return (int)syscall1(SYS_CLOSE, fd); }

int pipe(int fds[2]) { return (int)syscall1(SYS_PIPE, (long)fds); }

void *mmap(void *addr, size_t len, int prot, int fd, off_t offset) {
  // fd -1 must reach the kernel as all ones in 64 bits: the int is sign-extended.
  return (void *)syscall5(SYS_MMAP, (long)addr, (long)len, prot, (long)fd, offset);
}

int munmap(void *addr) { return (int)syscall1(SYS_MUNMAP, (long)addr); }

pid_t fork(void) { return (pid_t)syscall0(SYS_FORK); }

long get_phys(const void *va, int mode) { return syscall2(SYS_GETPHYS, (long)va, mode); }
