// The system-call wrappers of syscall.h: each passes its arguments through unchanged
// (syscallN casts them to uint64_t; an int is sign-extended, so fd -1 arrives as all ones).
#include <syscall.h>

// The numbers of the later projects' calls. This kernel knows none of them, and any number
// it does not know is answered with -ENOSYS; they stay out of syscall-nr.h so that they
// cannot clash with a program's own names.
enum {
  kSysThreadCreate = 0x40,
  kSysThreadJoin,
  kSysExitGroup,
  kSysCreate,
  kSysMkdir,
  kSysUnlink,
  kSysChdir,
  kSysReaddir,
  kSysStat,
  kSysFsync,
};

void exit(int status) {
  syscall1(SYS_EXIT, status);
  __builtin_unreachable();
}

int open(const char *path, int flags) { return (int)syscall2(SYS_OPEN, path, flags); }

ssize_t read(int fd, void *buf, size_t n) { return syscall3(SYS_READ, fd, buf, n); }

ssize_t write(int fd, const void *buf, size_t n) { return syscall3(SYS_WRITE, fd, buf, n); }

off_t seek(int fd, off_t offset, int whence) { return syscall3(SYS_SEEK, fd, offset, whence); }

off_t tell(int fd) { return syscall1(SYS_TELL, fd); }

int close(int fd) { return (int)syscall1(SYS_CLOSE, fd); }

int pipe(int fds[2]) { return (int)syscall1(SYS_PIPE, fds); }

void *mmap(void *addr, size_t len, int prot, int fd, off_t offset) {
  return (void *)syscall5(SYS_MMAP, addr, len, prot, fd, offset);
}

int munmap(void *addr) { return (int)syscall1(SYS_MUNMAP, addr); }

pid_t fork(void) { return (pid_t)syscall0(SYS_FORK); }

int memmap_snapshot(const char *label) { return (int)syscall1(SYS_MEMMAP_SNAPSHOT, label); }

int thread_create(const char *name, void *stack, void *(*fn)(void *), void *arg) {
  return (int)syscall4(kSysThreadCreate, name, stack, fn, arg);
}

int thread_join(int tid, int *retval) { return (int)syscall2(kSysThreadJoin, tid, retval); }

void exit_group(int status) {
  syscall1(kSysExitGroup, status);
  exit(status);  // -ENOSYS: one thread per process here, so ending it ends the group
}

int create(const char *path, size_t size) { return (int)syscall2(kSysCreate, path, size); }

int mkdir(const char *path) { return (int)syscall1(kSysMkdir, path); }

int unlink(const char *path) { return (int)syscall1(kSysUnlink, path); }

int chdir(const char *path) { return (int)syscall1(kSysChdir, path); }

ssize_t readdir(int fd, struct dirent *entries, size_t count) {
  return syscall3(kSysReaddir, fd, entries, count);
}

int stat(const char *path, struct stat *st) { return (int)syscall2(kSysStat, path, st); }

int fsync(int fd) { return (int)syscall1(kSysFsync, fd); }
