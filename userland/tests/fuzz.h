// fuzz.h: the state of the system-call fuzzer (fuzz.c): its random numbers, its model of
// its own file-descriptor table and mappings, and the rules that keep it from hurting
// itself. A header of the one program fuzz.c, not a program of its own.
//
// The model is exact: every fd the kernel hands out is recorded, so that `open` can be
// checked to return the lowest free fd and `close` to succeed exactly on open fds.
#ifndef KEOS_TESTS_FUZZ_H
#define KEOS_TESTS_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FUZZ_PAGE 4096ul
#define FUZZ_MAX_FD 1024
#define FUZZ_MAX_MAPS 48
#define FUZZ_PIPE_CAPACITY (64 * 1024 - 256)

// Memory the fuzzer owns. The kernel may write into the scratch area and into mappings
// the fuzzer made; never into the program's data, bss or stack (its own state).
#define FUZZ_SCRATCH 0x30000000ul
#define FUZZ_SCRATCH_LEN (16 * FUZZ_PAGE)
#define FUZZ_ARENA 0x10000000ul  // random mmap addresses fall in here
#define FUZZ_ARENA_PAGES 256ul
#define FUZZ_IMAGE 0x401000ul
#define FUZZ_IMAGE_END 0x1401000ul  // a generous bound of text + data + bss
#define FUZZ_STACK 0x47470000ul
#define FUZZ_STACK_END 0x47480000ul
#define FUZZ_USER_END 0x800000000000ul

enum fd_kind {
  FD_CLOSED = 0,
  FD_STDIN,
  FD_STDOUT,
  FD_STDERR,
  FD_FILE_RO,      // any file, read-only (the only way files other than fuzz_data open)
  FD_FILE_WRITE,   // fuzz_data, opened O_WRONLY or O_RDWR
  FD_PIPE_READ,
  FD_PIPE_WRITE,
  FD_REPORT,       // the pipe children report through: never fuzzed
};

struct fd_state {
  enum fd_kind kind;
  int pipe;  // FD_PIPE_*: index into pipes[]
};

// What the fuzzer knows about one of its pipes: bytes queued lie in [lo, hi].
struct pipe_state {
  long lo, hi;
  int readers, writers;  // ends this process holds open
};

struct mapping {
  uint64_t addr, len;
  int prot;
};

struct fuzz {
  uint64_t rng;
  long calls, errors, forks;
  int forks_left;     // fork budget of this process (fork mode)
  bool child;
  struct fd_state fds[FUZZ_MAX_FD];
  struct pipe_state pipes[FUZZ_MAX_FD];
  int npipes;
  struct mapping maps[FUZZ_MAX_MAPS];
  int nmaps;
  int report_read, report_write;  // the report pipe's fds
};

// xorshift64*: small, fast, and the same sequence for the same seed everywhere.
static inline uint64_t fuzz_next(struct fuzz *f) {
  f->rng ^= f->rng >> 12;
  f->rng ^= f->rng << 25;
  f->rng ^= f->rng >> 27;
  return f->rng * 0x2545f4914f6cdd1dull;
}
static inline uint64_t fuzz_below(struct fuzz *f, uint64_t n) { return fuzz_next(f) % n; }
static inline bool fuzz_chance(struct fuzz *f, unsigned percent) {
  return fuzz_below(f, 100) < percent;
}
#define FUZZ_PICK(f, array) ((array)[fuzz_below((f), sizeof(array) / sizeof((array)[0]))])

#endif
