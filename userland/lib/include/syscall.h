// syscall.h: system calls of the KeOS ABI. syscall0 .. syscall6 issue a raw `syscall`
// (number in RAX, arguments in RDI, RSI, RDX, R10, R8, R9, result in RAX; only RCX and
// R11 are clobbered besides RAX). The wrappers below return what the kernel returns: a
// value, or a negative error number (errno.h) in (-256, 0).
#ifndef KEOS_SYSCALL_H
#define KEOS_SYSCALL_H

#include <stddef.h>
#include <syscall-nr.h>

static inline long syscall0(long n) {
  long ret;
  __asm__ volatile("syscall" : "=a"(ret) : "a"(n) : "rcx", "r11", "memory");
  return ret;
}

static inline long syscall1(long n, long a1) {
  long ret;
  __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a1) : "rcx", "r11", "memory");
  return ret;
}

static inline long syscall2(long n, long a1, long a2) {
  long ret;
  __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a1), "S"(a2) : "rcx", "r11", "memory");
  return ret;
}

static inline long syscall3(long n, long a1, long a2, long a3) {
  long ret;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(n), "D"(a1), "S"(a2), "d"(a3)
                   : "rcx", "r11", "memory");
  return ret;
}

static inline long syscall4(long n, long a1, long a2, long a3, long a4) {
  long ret;
  register long r10 __asm__("r10") = a4;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10)
                   : "rcx", "r11", "memory");
  return ret;
}

static inline long syscall5(long n, long a1, long a2, long a3, long a4, long a5) {
  long ret;
  register long r10 __asm__("r10") = a4;
  register long r8 __asm__("r8") = a5;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8)
                   : "rcx", "r11", "memory");
  return ret;
}

static inline long syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6) {
  long ret;
  register long r10 __asm__("r10") = a4;
  register long r8 __asm__("r8") = a5;
  register long r9 __asm__("r9") = a6;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
}

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
// For tests: with mode 0, the physical address behind `va` (page address | offset); with
// mode 1, the raw page-table entry of its page (bit 1 RW, bit 63 XD). Cast the result to
// an unsigned type before testing bit 63.
long get_phys(const void *va, int mode);

// Fills `buf` with `len` random bytes from the CPU's RDRAND (no system call); returns len.
ssize_t getrandom(void *buf, size_t len, unsigned int flags);

#endif
