// syscall.h: system calls of the KeOS ABI. Brings in debug.h, fcntl.h, stdbool.h, stddef.h,
// stat.h and dirent.h, as KeOS's does (and syscall-nr.h, for the SYS_ numbers).
//
// syscall(num, a1, .., a6) issues the `syscall` instruction: number in RAX, arguments in
// RDI, RSI, RDX, R10, R8, R9, result in RAX; only RCX and R11 are clobbered besides RAX.
// syscall0(num) .. syscall6(num, a1, .., a6) cast the number and each argument to
// uint64_t and pass zeros for the rest, so pointers and negative ints (sign-extended) go
// as they are. The wrappers below return what the kernel returns: a value, or a negative
// error number (errno.h) in (-256, 0).
//
// There is deliberately no get_phys() here: programs that use SYS_GETPHYS define their
// own, as KeOS course programs do.
#ifndef KEOS_SYSCALL_H
#define KEOS_SYSCALL_H

#include <debug.h>
#include <dirent.h>
#include <fcntl.h>
#include <stat.h>
#include <stdbool.h>
#include <stddef.h>
#include <syscall-nr.h>

static inline int64_t syscall(uint64_t num, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                              uint64_t a5, uint64_t a6) {
  int64_t ret;
  register uint64_t r10 __asm__("r10") = a4;
  register uint64_t r8 __asm__("r8") = a5;
  register uint64_t r9 __asm__("r9") = a6;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(num), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
}

#define syscall0(num) syscall((uint64_t)(num), 0, 0, 0, 0, 0, 0)
#define syscall1(num, a1) syscall((uint64_t)(num), (uint64_t)(a1), 0, 0, 0, 0, 0)
#define syscall2(num, a1, a2) \
  syscall((uint64_t)(num), (uint64_t)(a1), (uint64_t)(a2), 0, 0, 0, 0)
#define syscall3(num, a1, a2, a3) \
  syscall((uint64_t)(num), (uint64_t)(a1), (uint64_t)(a2), (uint64_t)(a3), 0, 0, 0)
#define syscall4(num, a1, a2, a3, a4)                                                   \
  syscall((uint64_t)(num), (uint64_t)(a1), (uint64_t)(a2), (uint64_t)(a3), (uint64_t)(a4), \
          0, 0)
#define syscall5(num, a1, a2, a3, a4, a5)                                               \
  syscall((uint64_t)(num), (uint64_t)(a1), (uint64_t)(a2), (uint64_t)(a3), (uint64_t)(a4), \
          (uint64_t)(a5), 0)
#define syscall6(num, a1, a2, a3, a4, a5, a6)                                           \
  syscall((uint64_t)(num), (uint64_t)(a1), (uint64_t)(a2), (uint64_t)(a3), (uint64_t)(a4), \
          (uint64_t)(a5), (uint64_t)(a6))

// Ends the calling process with `status` as its exit code.
__attribute__((noreturn)) void exit(int status);
// Opens the file `path` with O_RDONLY, O_WRONLY or O_RDWR (fcntl.h); returns the lowest
// free file descriptor (3 or more).
int open(const char *path, int flags);
// Reads up to `n` bytes; returns how many (0 at end of file).
ssize_t read(int fd, void *buf, size_t n);
// Writes up to `n` bytes; returns how many.
ssize_t write(int fd, const void *buf, size_t n);
// Moves the offset of `fd` (whence: SEEK_SET, SEEK_CUR, SEEK_END); returns the new offset.
off_t seek(int fd, off_t offset, int whence);
// The offset of `fd`.
off_t tell(int fd);
// Closes `fd`; returns 0.
int close(int fd);
// Creates a pipe: fds[0] is the read end, fds[1] the write end. Returns 0.
int pipe(int fds[2]);
// Maps `len` bytes at `addr` (page aligned, non-zero) with `prot` (mman.h), backed by the
// file `fd` from `offset` or, with fd -1, by zeros. Returns `addr`, or an error.
void *mmap(void *addr, size_t len, int prot, int fd, off_t offset);
// Removes the mapping that starts exactly at `addr`; returns 0.
int munmap(void *addr);
// Creates a copy of the calling process; returns 0 in the child and the child's id (> 0)
// in the parent.
pid_t fork(void);

// Not in KeOS, for `make memmap`: asks the kernel to print a snapshot of the user address
// spaces (every page, its frame, the frame's reference count, the entry's rights) named
// `label` (NULL: none; at most 47 of the characters A-Z a-z 0-9 _ . , : + -, others show
// as _). Returns 0; -ENOSYS when the kernel was not started with snapshots on (any
// ordinary run), -EFAULT for a bad pointer, -ENAMETOOLONG for a longer label.
int memmap_snapshot(const char *label);

// Fills `buf` with `len` random bytes from the CPU's RDRAND (no system call); returns len.
ssize_t getrandom(void *buf, size_t len, unsigned int flags);

// The system calls of KeOS's later projects (threads, a file system with directories).
// This kernel implements none of them: each returns -ENOSYS (exit_group, which cannot
// return, then ends the process like exit). Their numbers are private to the library.
int thread_create(const char *name, void *stack, void *(*fn)(void *), void *arg);
int thread_join(int tid, int *retval);
__attribute__((noreturn)) void exit_group(int status);
// Creates the file `path` of `size` bytes.
int create(const char *path, size_t size);
int mkdir(const char *path);
int unlink(const char *path);
int chdir(const char *path);
// Reads up to `count` entries of the directory open as `fd`; returns how many.
ssize_t readdir(int fd, struct dirent *entries, size_t count);
int stat(const char *path, struct stat *st);
int fsync(int fd);

#endif
