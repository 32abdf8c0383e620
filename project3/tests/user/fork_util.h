// Helpers shared by the fork and copy-on-write test programs (a header, not a program).
#ifndef KEOS_TESTS_FORK_UTIL_H
#define KEOS_TESTS_FORK_UTIL_H

#include <debug.h>
#include <stdio.h>
#include <syscall.h>

#define PAGE_SIZE 4096
#define ENOMEM_RESULT (-12)
#define EPIPE_RESULT (-32)
#define PTE_RW 0x2ul
#define PTE_XD (1ul << 63)

// Forks, or ends the program with a message if fork fails.
static inline long must_fork(void) {
  long pid = fork();
  if (pid < 0) {
    printf("fork failed: %ld\n", pid);
    exit(100);
  }
  return pid;
}

// Blocks until every other holder of the pipe whose read end is `fd` has closed its
// write end (exited), discarding what arrives; returns how many bytes arrived.
static inline long drain_until_closed(int fd) {
  char buf[64];
  long total = 0, n;
  while ((n = read(fd, buf, sizeof buf)) > 0) total += n;
  return total;
}

// The physical address behind `va`, and its page-table entry (modes 0 and 1 of the
// get_phys system call, which the user library leaves to programs to wrap).
static inline unsigned long phys_of(const void *va) {
  return (unsigned long)syscall2(SYS_GETPHYS, va, 0);
}
static inline unsigned long pte_of(const void *va) {
  return (unsigned long)syscall2(SYS_GETPHYS, va, 1);
}

// The frame behind `va`, without the offset bits.
static inline unsigned long frame_of(const volatile void *va) {
  return phys_of((const void *)va) & ~0xffful;
}

// A one-byte message on a pipe, to put the two processes of a test in order.
static inline void signal_other(int fd) {
  if (write(fd, "!", 1) != 1) exit(101);
}
static inline void wait_other(int fd) {
  char byte;
  if (read(fd, &byte, 1) != 1) exit(102);
}

enum Writer { PARENT_WRITES, CHILD_WRITES };

// Sharing and splitting of the present page at `page`, whose first byte the caller has
// set up: right after fork both processes see the same frame and byte; then `writer`
// stores a new byte and must get a new frame holding it, with RW back in its PTE, while
// the other process keeps the original frame and byte. Each process prints one line
// ("LABEL: parent ok" / "LABEL: child ok"), the other's before the writer's; a broken
// rule ends the process with an ASSERT line instead. Returns in the parent once the
// child has ended.
static inline void split_page(volatile char *page, const char *label, enum Writer writer) {
  char original = *page;
  char changed = (char)(original ^ 0x5a);
  unsigned long frame = frame_of(page);
  int to_child[2], to_parent[2];
  ASSERT(pipe(to_child) == 0 && pipe(to_parent) == 0);
  long pid = must_fork();
  int me_writes = (pid == 0) == (writer == CHILD_WRITES);
  int in = pid == 0 ? to_child[0] : to_parent[0];
  int out = pid == 0 ? to_parent[1] : to_child[1];
  close(pid == 0 ? to_child[1] : to_parent[1]);
  close(pid == 0 ? to_parent[0] : to_child[0]);
  // Shared right after fork: same frame, same byte, and not writable.
  ASSERT(frame_of(page) == frame);
  ASSERT(*page == original);
  ASSERT((pte_of((const void *)page) & PTE_RW) == 0);
  if (me_writes) {
    *page = changed;
    ASSERT(*page == changed);
    ASSERT(frame_of(page) != frame);  // a private copy
    ASSERT(pte_of((const void *)page) & PTE_RW);
    signal_other(out);  // written
    wait_other(in);     // the other has checked and printed its line
    printf("%s: %s ok\n", label, pid == 0 ? "child" : "parent");
  } else {
    wait_other(in);  // the writer has written
    ASSERT(*page == original);
    ASSERT(frame_of(page) == frame);
    printf("%s: %s ok\n", label, pid == 0 ? "child" : "parent");
    signal_other(out);
  }
  if (pid == 0) exit(0);
  close(out);
  drain_until_closed(in);  // the child has exited
  close(in);
}

#endif
