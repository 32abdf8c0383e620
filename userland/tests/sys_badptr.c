// sys_badptr: every pointer-taking system call, given pointers the process may not use,
// fails with an error in (-256, 0): it never ends the process and never stops the
// kernel. The pointers: NULL and page 0, holes in user space, the pages around the
// stack, kernel and non-canonical addresses, buffers that start in a mapping and run out
// of it (also off the end of user space), read-only memory for the calls that write, and
// random addresses of each kind (getrandom). Prints the number of calls it made.
#include <fcntl.h>
#include <mman.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>

#include "check.h"

#define PAGE 4096ul
#define SCRATCH 0x30000000ul            // one read-write page; the next one is unmapped
#define READ_ONLY 0x30100000ul          // one read-only page, never touched
#define LAST_PAGE 0x00007ffffffff000ul  // the last user page, mapped read-write
#define LEN 16
#define RANDOM_EACH 24

static long calls;
static int hello, hello3, pipe_rd, pipe_wr;

static void expect_error(const char *call, uintptr_t ptr, long result) {
  calls++;
  if (!IS_ERR(result)) {
    printf("FAIL %s with pointer %#lx returned %ld (%#lx)\n", call, ptr, result,
           (unsigned long)result);
    exit(1);
  }
}

// Calls that read from user memory at `p` (or write a string there).
static void sweep_reads(uintptr_t p, size_t len) {
  void *ptr = (void *)p;
  expect_error("write(1)", p, write(1, ptr, len));
  expect_error("write(2)", p, write(2, ptr, len));
  expect_error("write(file)", p, write(hello3, ptr, len));
  expect_error("write(pipe)", p, write(pipe_wr, ptr, len));
}

// Calls that write to user memory at `p`.
static void sweep_writes(uintptr_t p, size_t len) {
  void *ptr = (void *)p;
  expect_error("read(file)", p, read(hello, ptr, len));
  expect_error("read(stdin)", p, read(0, ptr, len));
  expect_error("read(pipe)", p, read(pipe_rd, ptr, len));
}

// A pointer no call may use: every call, and the zero-length requests too.
static void sweep_all(uintptr_t p) {
  sweep_reads(p, LEN);
  sweep_writes(p, LEN);
  expect_error("pipe", p, pipe((int *)p));
  expect_error("open", p, open((const char *)p, O_RDONLY));
  expect_error("munmap", p, munmap((void *)p));
  expect_error("get_phys(0)", p, test_get_phys((const void *)p, 0));
  expect_error("get_phys(1)", p, test_get_phys((const void *)p, 1));
  // As an mmap address: not user space, or not page aligned, or overlapping.
  uintptr_t unaligned = (p & ~(PAGE - 1)) + 1;
  expect_error("mmap(unaligned)", unaligned, (long)mmap((void *)unaligned, PAGE, PROT_READ, -1, 0));
}

// A pointer that is not in user space at all (NULL, kernel, non-canonical): also bad
// for mmap as it is, and even for zero-length transfers.
static void sweep_not_user(uintptr_t p) {
  sweep_all(p);
  sweep_reads(p, 0);
  sweep_writes(p, 0);
  uintptr_t page = p & ~(PAGE - 1);
  expect_error("mmap", page, (long)mmap((void *)page, PAGE, PROT_READ | PROT_WRITE, -1, 0));
}

static uint64_t random64(void) {
  uint64_t v;
  CHECK_EQ(getrandom(&v, sizeof v, 0), sizeof v);
  return v;
}

// Not one of this program's mappings (all of them below 4 GiB, or the last user page).
static int is_mapped_here(uintptr_t p) {
  return p < 0x100000000ul || (p >= LAST_PAGE && p < 0x0000800000000000ul);
}

int main(void) {
  hello = open("hello", O_RDONLY);
  hello3 = open("hello3", O_RDWR);
  int fds[2];
  CHECK_EQ(pipe(fds), 0);
  pipe_rd = fds[0];
  pipe_wr = fds[1];
  CHECK_EQ(write(pipe_wr, "queued bytes", 12), 12);
  CHECK_EQ(hello, 3);
  CHECK_EQ(hello3, 4);

  static const uintptr_t kNotUser[] = {
      0,
      1,
      0xfff,
      0x0000800000000000,
      0x0000800000000fff,
      0x8000000000000000,
      0xffff7fffffffffff,
      0xffff800000000000,
      0xfffffe8000000000,
      0xffffff0000000000,
      0xffffff0000100000,
      0xfffffffffffff000,
      0xfffffffffffffff0,
      0xffffffffffffffff,
  };
  for (unsigned i = 0; i < sizeof kNotUser / sizeof kNotUser[0]; i++) sweep_not_user(kNotUser[i]);

  static const uintptr_t kUnmapped[] = {
      0x1000,     0x400000,   0x400ff8,   0x10000000,  0x30001000,     0x4746f000,
      0x4746fff8, 0x47480000, 0x47480008, 0x100000000, 0x7fffffffe000, 0x7fffffffeff8,
  };
  for (unsigned i = 0; i < sizeof kUnmapped / sizeof kUnmapped[0]; i++) sweep_all(kUnmapped[i]);

  // Buffers that start mapped and run into unmapped memory (or out of user space).
  char *scratch = mmap((void *)SCRATCH, PAGE, PROT_READ | PROT_WRITE, -1, 0);
  CHECK_EQ(scratch, SCRATCH);
  char *last = mmap((void *)LAST_PAGE, PAGE, PROT_READ | PROT_WRITE, -1, 0);
  CHECK_EQ(last, LAST_PAGE);
  memset(scratch, 'a', PAGE);  // no NUL: a name that never ends
  memset(last, 'a', PAGE);
  static const uintptr_t kRunOff[] = {SCRATCH + PAGE - 8, 0x47480000 - 8, LAST_PAGE + PAGE - 8};
  for (unsigned i = 0; i < 3; i++) {
    sweep_reads(kRunOff[i], LEN);
    sweep_writes(kRunOff[i], LEN);
    sweep_reads(kRunOff[i], 1 + PAGE);
    sweep_writes(kRunOff[i], 1 + PAGE);
    if (kRunOff[i] != 0x47480000 - 8) {
      expect_error("open", kRunOff[i], open((const char *)kRunOff[i], O_RDONLY));
    }
  }
  expect_error("pipe", LAST_PAGE + PAGE - 4, pipe((int *)(LAST_PAGE + PAGE - 4)));
  expect_error("pipe", SCRATCH + PAGE - 4, pipe((int *)(SCRATCH + PAGE - 4)));
  // Lengths that wrap around the address space.
  char local[LEN];
  static const uint64_t kHuge[] = {~0ul, 1ul << 63, 1ul << 47, ~0ul - (uintptr_t)0x47480000};
  for (unsigned i = 0; i < 4; i++) {
    sweep_reads((uintptr_t)local, kHuge[i]);
    sweep_writes((uintptr_t)local, kHuge[i]);
  }
  // Mappings that are not where user space allows, or overlap what is there.
  expect_error("mmap(past the end)", LAST_PAGE,
               (long)mmap((void *)(LAST_PAGE - PAGE), 2 * PAGE, PROT_READ, -1, 0));
  expect_error("mmap(wraps)", SCRATCH + 16 * PAGE,
               (long)mmap((void *)(SCRATCH + 16 * PAGE), ~0ul - PAGE, PROT_READ, -1, 0));
  expect_error("mmap(text)", 0x401000, (long)mmap((void *)0x401000, PAGE, PROT_READ, -1, 0));
  expect_error("mmap(stack)", 0x47470000, (long)mmap((void *)0x47470000, PAGE, PROT_READ, -1, 0));
  expect_error("mmap(below the stack)", 0x4746f000,
               (long)mmap((void *)0x4746f000, 2 * PAGE, PROT_READ, -1, 0));
  expect_error("mmap(scratch)", SCRATCH, (long)mmap((void *)SCRATCH, PAGE, PROT_READ, -1, 0));
  expect_error("munmap(inside)", SCRATCH + 8, munmap((void *)(SCRATCH + 8)));
  expect_error("munmap(stack top)", 0x4747f000, munmap((void *)0x4747f000));

  // Read-only memory: the calls that write there fail (the program's text and read-only
  // data, and a read-only mapping the process never touched).
  CHECK_EQ(mmap((void *)READ_ONLY, PAGE, PROT_READ, -1, 0), READ_ONLY);
  static const char kConstant[64] = "read-only data";
  const uintptr_t kReadOnly[] = {(uintptr_t)main, (uintptr_t)kConstant, READ_ONLY};
  for (unsigned i = 0; i < 3; i++) {
    sweep_writes(kReadOnly[i], LEN);
    expect_error("pipe", kReadOnly[i], pipe((int *)kReadOnly[i]));
  }
  CHECK_EQ(((volatile char *)READ_ONLY)[0], 0);

  // Random pointers of each kind.
  for (int i = 0; i < RANDOM_EACH; i++) {
    uintptr_t any = random64();
    if (!is_mapped_here(any))
      sweep_all(any);
    else
      sweep_all(0xdead000000000000ul | (any & 0xffffffff));
    sweep_not_user(0xffff800000000000ul | random64());
    sweep_not_user((0x0000800000000000ul | random64()) & 0x7fffffffffffffffu);
    uintptr_t user = 0x100000000ul + random64() % (LAST_PAGE - 0x100000000ul);
    sweep_all(user);
  }

  // The process is intact: descriptors, the pipe's data, the mappings.
  char buf[16];
  CHECK_EQ(read(hello, buf, 7), 7);
  CHECK(memcmp(buf, "Welcome", 7) == 0);
  long n = read(pipe_rd, buf, sizeof buf);
  CHECK(n > 0 && n <= 12);
  CHECK_EQ(open("hello", O_RDONLY), 7);  // 5 and 6 are the pipe's: failed pipes took none
  CHECK_EQ(scratch[0], 'a');
  CHECK_EQ(last[PAGE - 1], 'a');
  CHECK_EQ(munmap(scratch), 0);
  CHECK_EQ(munmap(last), 0);
  CHECK_EQ(munmap((void *)READ_ONLY), 0);
  printf("sys_badptr: %ld calls, all failed\n", calls);
  return 0;
}
