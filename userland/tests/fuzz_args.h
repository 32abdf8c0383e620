// fuzz_args.h: the fuzzer's arguments and its model of its own file descriptors: edge
// values for addresses, lengths and fds, buffers the kernel may write into without
// touching the fuzzer's own state, and the questions the model answers (is this fd open,
// would this read block). Part of fuzz.c, included once after its state (F) and its
// reporting helpers; split out to keep the calls and the arguments apart.
#ifndef KEOS_TESTS_FUZZ_ARGS_H
#define KEOS_TESTS_FUZZ_ARGS_H

// ---------------------------------------------------------------------------------------
// Values

static const uint64_t kBadAddresses[] = {
    0, 1, 0xfff, 0x1000, 0x400000, 0x400ff8,
    0x0000800000000000ul, 0x00007ffffffffff8ul, 0x8000000000000000ul, 0xdeadbeef00000000ul,
    0xffff800000000000ul, 0xffffff0000000000ul, 0xffffff0000100000ul, 0xfffffe8000000000ul,
    0xfffffffffffff000ul, 0xfffffffffffffffful,
    FUZZ_STACK - 8, FUZZ_STACK - FUZZ_PAGE, FUZZ_STACK_END, FUZZ_STACK_END + 8,
    FUZZ_ARENA + FUZZ_ARENA_PAGES * FUZZ_PAGE, FUZZ_SCRATCH + FUZZ_SCRATCH_LEN,
};

static const uint64_t kLengths[] = {
    0, 1, 7, 8, 255, 256, 257, 4095, 4096, 4097, 8192, 65536, 0x7fffffff, 0x80000000ul,
    0xffffffffu, 0x100000000ul, 0x0000800000000000ul, 0x7fffffffffffffffull,
    0x8000000000000000ull, 0xfffffffffffff000ull, 0xffffffffffffffffull,
};

static uint64_t random_length(void) {
  if (fuzz_chance(&F, 50)) return fuzz_below(&F, 300);
  if (fuzz_chance(&F, 30)) return fuzz_below(&F, 3 * FUZZ_PAGE);
  return FUZZ_PICK(&F, kLengths);
}

// A buffer the kernel may write into: scratch, one of our writable mappings (possibly
// running past its end), or an address where the kernel must refuse to write.
static uint64_t writable_buffer(void) {
  unsigned pick = fuzz_below(&F, 100);
  if (pick < 45) return FUZZ_SCRATCH + fuzz_below(&F, FUZZ_SCRATCH_LEN + 16);
  if (pick < 50) return FUZZ_SCRATCH + FUZZ_SCRATCH_LEN - fuzz_below(&F, 64);
  if (pick < 70 && F.nmaps > 0) {
    struct mapping *m = &F.maps[fuzz_below(&F, F.nmaps)];
    uint64_t span = m->len < 16 * FUZZ_PAGE ? m->len : 16 * FUZZ_PAGE;
    return fuzz_chance(&F, 20) ? m->addr + m->len - fuzz_below(&F, 32)
                               : m->addr + fuzz_below(&F, span);
  }
  if (pick < 75) return FUZZ_IMAGE + fuzz_below(&F, FUZZ_PAGE);  // text: read-only
  if (pick < 85) return fuzz_next(&F) & (fuzz_chance(&F, 50) ? ~0ull : 0xffffffffffffull);
  return FUZZ_PICK(&F, kBadAddresses);
}

// Keeps a kernel write [buf, buf + len) out of our stack but for its lowest page (a
// mapping may lie right below the stack; the program never uses that deep a stack).
static uint64_t clamp_write_len(uint64_t buf, uint64_t len) {
  if (buf < FUZZ_STACK && buf + len > FUZZ_STACK + FUZZ_PAGE && buf + len > buf &&
      buf >= FUZZ_STACK - 64 * FUZZ_PAGE)
    return FUZZ_STACK + FUZZ_PAGE - buf;
  return len;
}

// A buffer the kernel only reads: anything, including our own data and stack.
static uint64_t readable_buffer(void) {
  static const char kText[] = "fuzz text";
  char local[16];
  switch (fuzz_below(&F, 6)) {
    case 0: return (uint64_t)kText;
    case 1: return (uint64_t)(local + fuzz_below(&F, sizeof local));
    case 2: return (uint64_t)&F + fuzz_below(&F, sizeof F);
    default: return writable_buffer();
  }
}

static uint64_t random_fd_raw(void) {
  static const uint64_t kFds[] = {
      0, 1, 2, 3, 4, 1023, 1024, 1025, 0x7fffffff, 0xffffffffull, 0x80000000ull,
      0xffffffffffffffffull, 0xfffffffffffffffeull, 0x100000003ull, 0x8000000000000000ull,
  };
  if (fuzz_chance(&F, 75)) return fuzz_below(&F, 16);
  if (fuzz_chance(&F, 50)) return FUZZ_PICK(&F, kFds);
  return fuzz_next(&F);
}

// The fd the kernel sees for a raw 64-bit argument (the ABI's int), or -1 if out of range.
static int model_fd(uint64_t raw) {
  int fd = (int)(uint32_t)raw;
  return fd >= 0 && fd < FUZZ_MAX_FD ? fd : -1;
}
static enum fd_kind kind_of(uint64_t raw) {
  int fd = model_fd(raw);
  return fd < 0 ? FD_CLOSED : F.fds[fd].kind;
}

static int lowest_free_fd(int after) {
  for (int fd = after > 3 ? after : 3; fd < FUZZ_MAX_FD; ++fd) {
    if (F.fds[fd].kind == FD_CLOSED) return fd;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------
// The model: fds

static void forget_fd(int fd) {
  struct fd_state *s = &F.fds[fd];
  if (s->kind == FD_PIPE_READ) F.pipes[s->pipe].readers--;
  if (s->kind == FD_PIPE_WRITE) F.pipes[s->pipe].writers--;
  s->kind = FD_CLOSED;
}

// Would reading `fd` sleep forever? (An empty pipe whose write end someone still holds.)
static bool read_may_block(int fd) {
  if (fd < 0 || F.fds[fd].kind != FD_PIPE_READ) return false;
  struct pipe_state *p = &F.pipes[F.fds[fd].pipe];
  return p->lo == 0 && p->writers > 0;
}

// Would writing `len` bytes to `fd` sleep forever? (Our own pipe, which we would have to
// drain ourselves.)
static bool write_may_block(int fd, uint64_t len) {
  if (fd < 0 || F.fds[fd].kind != FD_PIPE_WRITE) return false;
  struct pipe_state *p = &F.pipes[F.fds[fd].pipe];
  return p->readers > 0 && (uint64_t)p->hi + len > FUZZ_PIPE_CAPACITY;
}

#endif
