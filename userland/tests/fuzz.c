// fuzz: a system-call fuzzer. Usage: fuzz [SEED|random [CALLS [fork|nofork [SKIP]]]]
//
// Makes CALLS system calls (default 3000) with random numbers and arguments drawn mostly
// from edge values: NULL, kernel and non-canonical addresses, page and stack edges, the
// last user page, huge lengths, negative fds and fds in every state. The same SEED (printed
// first; random when not given) makes the same calls. With "fork", it also forks, and the
// children fuzz too. SKIP, a bit mask, leaves out kinds of calls (to narrow a failure down):
// 1 open, 2 read, 4 write, 8 seek/tell, 0x10 close, 0x20 pipe, 0x40 mmap, 0x80 munmap,
// 0x100 touching mappings, 0x200 unknown numbers, 0x400 get_phys, 0x800 fork.
//
// Every result is checked against what the ABI allows (a value of the right kind or an
// error in (-256, 0)) and against a model of the process's own fds and mappings: open
// returns the lowest free fd, close succeeds exactly on open fds, mmap refuses overlaps,
// unknown numbers fail with ENOSYS. A broken rule prints "FAIL ..." and exits with 1 (a
// child reports it to the first process, which exits with 1). The first process waits for
// every child, then prints the totals and exits with 0.
//
// The fuzzer never hands the kernel a buffer to write into that overlaps its own state
// (data, bss, stack): writable buffers come from a scratch area and its own mappings.
#include <errno.h>
#include <fcntl.h>
#include <mman.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>

#include "fuzz.h"

static struct fuzz F;

static char long_name[400];
static const char *const kPaths[] = {
    "hello", "hello2", "fuzz", "fuzz_data", "", "no_such_file", "hello/", "/hello",
    "fuzz_data/x", long_name,
};

// ---------------------------------------------------------------------------------------
// Failing and reporting

struct report {
  uint64_t magic;
  uint64_t calls, errors, forks, failed;
};
#define REPORT_MAGIC 0x7a7a7566ull

static void send_report(uint64_t failed) {
  struct report r = {REPORT_MAGIC, (uint64_t)F.calls, (uint64_t)F.errors, (uint64_t)F.forks,
                     failed};
  write(F.report_write, &r, sizeof r);
}

__attribute__((noreturn, format(printf, 1, 2))) static void fail(const char *fmt, ...) {
  char line[200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  printf("FAIL fuzz (%s, call %ld): %s\n", F.child ? "child" : "parent", F.calls, line);
  if (F.child) send_report(1);
  exit(1);
}

// Counts a system call's result.
static long counted(long r) {
  F.calls++;
  if (IS_ERR(r)) F.errors++;
  return r;
}

static void check_error(long r, const char *what) {
  if (!IS_ERR(r)) fail("%s returned %ld, expected an error", what, r);
}

#include "fuzz_args.h"

// ---------------------------------------------------------------------------------------
// The calls

static void fuzz_open(void) {
  uint64_t flags = fuzz_chance(&F, 85) ? fuzz_below(&F, 3) : FUZZ_PICK(&F, kLengths);
  // The kernel may look at all 64 bits of flags or only at the int of the C signature.
  bool write_mode = (uint32_t)flags == O_WRONLY || (uint32_t)flags == O_RDWR;
  uint64_t path;
  if (fuzz_chance(&F, 30)) {
    path = FUZZ_PICK(&F, kBadAddresses);
  } else if (write_mode) {
    // Only fuzz_data may be opened for writing: other tests read the other files.
    static const char *const kWritable[] = {"fuzz_data", "fuzz_data", "", "no_such_file",
                                            "fuzz_data/x"};
    path = (uint64_t)(fuzz_chance(&F, 10) ? long_name : FUZZ_PICK(&F, kWritable));
  } else {
    path = fuzz_chance(&F, 15) ? writable_buffer() : (uint64_t)FUZZ_PICK(&F, kPaths);
  }
  long r = counted(syscall2(SYS_OPEN, (long)path, (long)flags));
  if ((uint32_t)flags > O_RDWR) check_error(r, "open with bad flags");
  if (IS_ERR(r)) return;
  int want = lowest_free_fd(3);
  if (r != want) fail("open returned fd %ld, the lowest free fd is %d", r, want);
  F.fds[r].kind = write_mode ? FD_FILE_WRITE : FD_FILE_RO;
}

static void fuzz_read(void) {
  uint64_t raw = random_fd_raw(), buf = writable_buffer(), len = random_length();
  int fd = model_fd(raw);
  if (kind_of(raw) == FD_REPORT || read_may_block(fd)) return;
  len = clamp_write_len(buf, len);
  long r = counted(read((int)raw, (void *)buf, len));
  if (kind_of(raw) == FD_CLOSED) check_error(r, "read of a closed fd");
  if (IS_ERR(r)) return;
  if (r < 0 || (uint64_t)r > len) fail("read of %lu bytes returned %ld", len, r);
  if (F.fds[fd].kind == FD_PIPE_READ) {
    struct pipe_state *p = &F.pipes[F.fds[fd].pipe];
    p->lo = p->lo > r ? p->lo - r : 0;
    p->hi -= r;
  }
}

static void fuzz_write(void) {
  uint64_t raw = random_fd_raw(), buf = readable_buffer(), len = random_length();
  int fd = model_fd(raw);
  enum fd_kind kind = kind_of(raw);
  if (kind == FD_REPORT) return;
  // Keep the console quiet: a few bytes at most to stdout and stderr.
  if (kind == FD_STDOUT || kind == FD_STDERR) len %= 5;
  if (write_may_block(fd, len)) len = FUZZ_PIPE_CAPACITY - F.pipes[F.fds[fd].pipe].hi;
  long r = counted(write((int)raw, (const void *)buf, len));
  if (kind == FD_CLOSED) check_error(r, "write to a closed fd");
  if (kind == FD_STDIN || kind == FD_FILE_RO || kind == FD_PIPE_READ)
    check_error(r, "write to a read-only fd");
  if (!IS_ERR(r) && (r < 0 || (uint64_t)r > len)) fail("write of %lu bytes returned %ld", len, r);
  if (kind == FD_PIPE_WRITE) {
    struct pipe_state *p = &F.pipes[F.fds[fd].pipe];
    if (!IS_ERR(r)) p->lo += r;
    p->hi += IS_ERR(r) ? (long)len : r;
  }
}

static void fuzz_seek_tell(void) {
  uint64_t raw = random_fd_raw();
  long r;
  if (fuzz_chance(&F, 50)) {
    uint64_t off = fuzz_chance(&F, 50) ? fuzz_below(&F, 10000) : FUZZ_PICK(&F, kLengths);
    uint64_t whence = fuzz_chance(&F, 90) ? fuzz_below(&F, 3) : fuzz_next(&F);
    r = counted(syscall3(SYS_SEEK, (long)raw, (long)off, (long)whence));
  } else {
    r = counted(syscall1(SYS_TELL, (long)raw));
  }
  enum fd_kind kind = kind_of(raw);
  if (kind == FD_CLOSED || kind == FD_STDIN || kind == FD_STDOUT || kind == FD_STDERR)
    check_error(r, "seek/tell of a closed or standard fd");
  if (!IS_ERR(r) && r < 0) fail("seek/tell returned %ld", r);
}

static void fuzz_close(void) {
  uint64_t raw = random_fd_raw();
  int fd = model_fd(raw);
  enum fd_kind kind = kind_of(raw);
  if (kind == FD_STDOUT || kind == FD_REPORT) return;  // we need our output
  long r = counted(close((int)raw));
  if (kind == FD_CLOSED) {
    check_error(r, "close of a closed fd");
  } else {
    if (r != 0) fail("close(%d) of an open fd returned %ld", fd, r);
    forget_fd(fd);
  }
}

static void fuzz_pipe(void) {
  uint64_t where = writable_buffer();
  if (F.npipes == FUZZ_MAX_FD) return;
  long r = counted(syscall1(SYS_PIPE, (long)where));
  if (IS_ERR(r)) return;
  if (r != 0) fail("pipe returned %ld", r);
  int ends[2];
  memcpy(ends, (void *)where, sizeof ends);
  int want_read = lowest_free_fd(3), want_write = lowest_free_fd(want_read + 1);
  if (ends[0] != want_read || ends[1] != want_write)
    fail("pipe gave fds %d and %d, expected %d and %d", ends[0], ends[1], want_read,
         want_write);
  int id = F.npipes++;
  F.pipes[id] = (struct pipe_state){0, 0, 1, 1};
  F.fds[ends[0]] = (struct fd_state){FD_PIPE_READ, id};
  F.fds[ends[1]] = (struct fd_state){FD_PIPE_WRITE, id};
}


// ---------------------------------------------------------------------------------------
// Memory

// Regions we know are mapped (a generous bound of the image, the stack, the scratch area,
// our mappings): a successful mmap must not overlap any.
static bool overlaps_known(uint64_t a, uint64_t len) {
  uint64_t e = a + len;
  uint64_t image_end = ((uint64_t)&F + sizeof F + FUZZ_PAGE - 1) & ~(FUZZ_PAGE - 1);
  if (a < image_end && e > FUZZ_IMAGE) return true;
  if (a < FUZZ_STACK_END && e > FUZZ_STACK) return true;
  if (a < FUZZ_SCRATCH + FUZZ_SCRATCH_LEN && e > FUZZ_SCRATCH) return true;
  for (int i = 0; i < F.nmaps; ++i) {
    if (a < F.maps[i].addr + F.maps[i].len && e > F.maps[i].addr) return true;
  }
  return false;
}

static uint64_t mmap_address(void) {
  unsigned pick = fuzz_below(&F, 100);
  if (pick < 60) return FUZZ_ARENA + fuzz_below(&F, FUZZ_ARENA_PAGES) * FUZZ_PAGE;
  if (pick < 64) return FUZZ_ARENA + fuzz_below(&F, FUZZ_ARENA_PAGES * FUZZ_PAGE);
  static const uint64_t kEdges[] = {
      FUZZ_IMAGE, 0x400000, FUZZ_STACK - FUZZ_PAGE, FUZZ_STACK - 2 * FUZZ_PAGE, FUZZ_STACK,
      FUZZ_STACK_END - FUZZ_PAGE, FUZZ_STACK_END, FUZZ_SCRATCH, FUZZ_SCRATCH - FUZZ_PAGE,
      FUZZ_SCRATCH + FUZZ_SCRATCH_LEN, FUZZ_USER_END - FUZZ_PAGE, FUZZ_USER_END - 2 * FUZZ_PAGE,
      FUZZ_USER_END,
  };
  if (pick < 85) return FUZZ_PICK(&F, kEdges);
  if (pick < 90) return ((uint64_t)&F) & ~(FUZZ_PAGE - 1);
  return FUZZ_PICK(&F, kBadAddresses);
}

static void fuzz_mmap(void) {
  uint64_t addr = mmap_address();
  uint64_t len = fuzz_chance(&F, 75) ? (1 + fuzz_below(&F, 4)) * FUZZ_PAGE : random_length();
  uint64_t prot = fuzz_chance(&F, 90) ? 1 + fuzz_below(&F, 7) : FUZZ_PICK(&F, kLengths);
  uint64_t fd = fuzz_chance(&F, 65) ? ~0ull : random_fd_raw();
  uint64_t off = fuzz_chance(&F, 70) ? fuzz_below(&F, 3) * FUZZ_PAGE : FUZZ_PICK(&F, kLengths);
  long r = counted(syscall5(SYS_MMAP, (long)addr, (long)len, (long)prot, (long)fd, (long)off));
  if (IS_ERR(r)) return;
  if ((uint64_t)r != addr) fail("mmap(%#lx) returned %#lx", addr, r);
  if (addr == 0 || addr % FUZZ_PAGE != 0 || len == 0 || addr + len < addr ||
      addr + len > FUZZ_USER_END)
    fail("mmap(%#lx, %#lx) succeeded", addr, len);
  if (prot == 0 || prot > 7) fail("mmap with prot %#lx succeeded", prot);
  if (overlaps_known(addr, len)) fail("mmap(%#lx, %#lx) overlaps a mapping", addr, len);
  if (fd != ~0ull) {
    enum fd_kind k = fd < FUZZ_MAX_FD ? F.fds[fd].kind : FD_CLOSED;
    if (k != FD_FILE_RO && k != FD_FILE_WRITE) fail("mmap of fd %#lx succeeded", fd);
    if (off % FUZZ_PAGE != 0) fail("mmap at unaligned offset %#lx succeeded", off);
  }
  if (F.nmaps == FUZZ_MAX_MAPS) {
    if (counted(munmap((void *)addr)) != 0) fail("munmap(%#lx) of a new mapping failed", addr);
    return;
  }
  F.maps[F.nmaps++] = (struct mapping){addr, len, (int)prot};
}

static void fuzz_munmap(void) {
  int index = -1;
  uint64_t addr;
  unsigned pick = fuzz_below(&F, 100);
  if (pick < 50 && F.nmaps > 0) {
    index = (int)fuzz_below(&F, F.nmaps);
    addr = F.maps[index].addr;
    if (fuzz_chance(&F, 20)) {  // not its start: must fail
      addr += fuzz_chance(&F, 50) ? FUZZ_PAGE : 1 + fuzz_below(&F, FUZZ_PAGE - 1);
      index = -1;
    }
  } else if (pick < 70) {
    addr = FUZZ_ARENA + fuzz_below(&F, FUZZ_ARENA_PAGES) * FUZZ_PAGE;
  } else if (pick < 80) {
    // Inside our own regions but never at a mapping's start.
    static const uint64_t kInside[] = {FUZZ_IMAGE + 8, FUZZ_STACK + 8, FUZZ_SCRATCH + 8,
                                       FUZZ_STACK_END - 8, FUZZ_SCRATCH + FUZZ_PAGE};
    addr = FUZZ_PICK(&F, kInside);
  } else {
    addr = FUZZ_PICK(&F, kBadAddresses);
  }
  for (int i = 0; i < F.nmaps && index < 0; ++i) {
    if (F.maps[i].addr == addr) index = i;
  }
  if (addr == FUZZ_IMAGE || addr == FUZZ_STACK || addr == FUZZ_SCRATCH) return;
  long r = counted(munmap((void *)addr));
  if (index < 0) {
    check_error(r, "munmap of an address where no mapping starts");
    return;
  }
  if (r != 0) fail("munmap(%#lx) of a mapping returned %ld", addr, r);
  F.maps[index] = F.maps[--F.nmaps];
}

// Touches one of our mappings the way its permissions allow, faulting pages in.
static void fuzz_touch(void) {
  if (F.nmaps == 0) return;
  struct mapping *m = &F.maps[fuzz_below(&F, F.nmaps)];
  uint64_t span = m->len < 64 * FUZZ_PAGE ? m->len : 64 * FUZZ_PAGE;
  volatile char *p = (volatile char *)(m->addr + fuzz_below(&F, span));
  if (m->prot & PROT_READ) (void)*p;
  if (m->prot & PROT_WRITE) *p = (char)fuzz_next(&F);
}

static void fuzz_unknown(void) {
  static const uint64_t kNumbers[] = {
      11, 12, 0x7f, 0x80, 0x82, 0x100, 0x80000000ull, 0x100000000ull, 0x100000001ull,
      0x10000000aull, 0x100000081ull, 0x8000000000000000ull, 0xffffffffffffffffull,
  };
  uint64_t n = fuzz_chance(&F, 50) ? FUZZ_PICK(&F, kNumbers) : fuzz_next(&F);
  if (n <= 10 || n == 0x81) return;
  long r = counted(syscall6((long)n, (long)fuzz_next(&F), (long)fuzz_next(&F), (long)fuzz_next(&F),
                    (long)fuzz_next(&F), (long)fuzz_next(&F), (long)fuzz_next(&F)));
  if (r != -ENOSYS) fail("unknown system call %#lx returned %ld, expected -ENOSYS", n, r);
}

static void fuzz_get_phys(void) {
  uint64_t mode = fuzz_chance(&F, 80) ? fuzz_below(&F, 2) : fuzz_next(&F);
  long r = counted(syscall2(SYS_GETPHYS, (long)readable_buffer(), (long)mode));
  if (mode > 1) check_error(r, "get_phys with a bad mode");
}

// ---------------------------------------------------------------------------------------
// Processes

static void fuzz_fork(void);

// Each kind of call, with its share of the calls (in percent).
static const struct {
  void (*run)(void);
  unsigned share;
} kKinds[] = {
    {fuzz_open, 10},  {fuzz_read, 14},    {fuzz_write, 14},   {fuzz_seek_tell, 7},
    {fuzz_close, 8},  {fuzz_pipe, 5},     {fuzz_mmap, 16},    {fuzz_munmap, 8},
    {fuzz_touch, 6},  {fuzz_unknown, 5},  {fuzz_get_phys, 3}, {fuzz_fork, 4},
};
static unsigned long g_skip;

static void one_call(void) {
  unsigned pick = fuzz_below(&F, 100);
  for (unsigned i = 0; i < sizeof kKinds / sizeof kKinds[0]; ++i) {
    if (pick < kKinds[i].share) {
      if (g_skip & (1ul << i)) F.calls++;  // skipped, but counted: the loop must end
      else kKinds[i].run();
      return;
    }
    pick -= kKinds[i].share;
  }
}

// Makes `calls` system calls (attempts that would hurt the fuzzer itself are skipped).
static void fuzz_loop(long calls) {
  long end = F.calls + calls;
  while (F.calls < end) one_call();
}

// In a new child: drops the inherited pipe ends (the parent's model of their contents
// must stay true) and the report pipe's read end, then fuzzes on with its own numbers.
static void become_child(long calls) {
  F.child = true;
  F.calls = F.errors = F.forks = 0;
  F.rng ^= 0x9e3779b97f4a7c15ull;
  fuzz_next(&F);
  for (int fd = 0; fd < FUZZ_MAX_FD; ++fd) {
    enum fd_kind k = F.fds[fd].kind;
    if (k == FD_PIPE_READ || k == FD_PIPE_WRITE || (k == FD_REPORT && fd == F.report_read)) {
      if (close(fd) != 0) fail("close(%d) of an inherited fd failed", fd);
      if (fd == F.report_read) F.fds[fd].kind = FD_CLOSED;
      else forget_fd(fd);
    }
  }
  if (fuzz_chance(&F, 20)) {  // end early, with any exit code
    send_report(0);
    exit((int)fuzz_next(&F));
  }
  fuzz_loop(calls);
  send_report(0);
  exit(0);
}

static long g_child_calls;

static void fuzz_fork(void) {
  if (F.forks_left == 0) return;
  long r = counted(fork());
  if (IS_ERR(r)) return;
  if (r < 0) fail("fork returned %ld", r);
  int budget = F.forks_left - 1;
  if (r == 0) {
    F.forks_left = budget / 2;
    become_child(g_child_calls);
  }
  F.forks_left = budget - budget / 2;
  F.forks++;
}

// Waits for every child (the report pipe reaches end of file when the last one is gone)
// and adds up their reports. Fails if a child failed or ended without a report.
static void collect_reports(long *processes, long *calls) {
  counted(close(F.report_write));
  F.fds[F.report_write].kind = FD_CLOSED;
  long failed = 0, forks = F.forks;
  for (;;) {
    struct report r;
    long n = 0;
    while (n < (long)sizeof r) {
      long k = read(F.report_read, (char *)&r + n, sizeof r - n);
      if (k <= 0) break;
      n += k;
    }
    if (n == 0) break;
    if (n != (long)sizeof r || r.magic != REPORT_MAGIC) fail("a garbled child report");
    *processes += 1;
    *calls += (long)r.calls;
    forks += (long)r.forks;
    failed += (long)r.failed;
  }
  if (failed != 0) fail("%ld children failed (their FAIL lines are above)", failed);
  if (*processes != 1 + forks)
    fail("%ld processes were forked, %ld reported", forks, *processes - 1);
}

int main(int argc, char **argv) {
  uint64_t seed;
  if (argc > 1 && strcmp(argv[1], "random") != 0) {
    seed = strtoul(argv[1], NULL, 0);
  } else {
    getrandom(&seed, sizeof seed, 0);
    seed %= 1000000000;
  }
  long calls = argc > 2 ? atol(argv[2]) : 3000;
  bool forking = argc > 3 && strcmp(argv[3], "fork") == 0;
  if (argc > 4) g_skip = strtoul(argv[4], NULL, 0);
  printf("fuzz: seed %lu, %ld calls%s\n", seed, calls, forking ? ", forking" : "");

  F.rng = seed * 2 + 0x2545f4914f6cdd1dull;  // never 0
  memset(long_name, 'x', sizeof long_name - 1);
  F.fds[0].kind = FD_STDIN;
  F.fds[1].kind = FD_STDOUT;
  F.fds[2].kind = FD_STDERR;
  if (mmap((void *)FUZZ_SCRATCH, FUZZ_SCRATCH_LEN, PROT_READ | PROT_WRITE, -1, 0) !=
      (void *)FUZZ_SCRATCH)
    fail("cannot map the scratch area");
  int report[2];
  if (pipe(report) != 0) fail("cannot make the report pipe");
  F.report_read = report[0];
  F.report_write = report[1];
  F.fds[report[0]].kind = F.fds[report[1]].kind = FD_REPORT;
  F.forks_left = forking ? 6 : 0;
  g_child_calls = calls / 3;

  fuzz_loop(calls);

  long processes = 1, total = F.calls;
  collect_reports(&processes, &total);
  printf("\nfuzz: seed %lu: %ld calls in %ld processes\n", seed, total, processes);
  printf("fuzz: ok\n");
  return 0;
}
