// cow_smp_stress: several process trees forking, writing shared pages and exiting on all
// CPUs at once, for a fixed amount of work (so the outcome does not depend on timing).
//
// The main process fills a shared area (an mmap region and .bss pages) with a base
// pattern and forks WORKERS workers, then writes its own pattern over the area while they
// run. Each worker, for ROUNDS rounds: writes its round's pattern, forks CHILDREN children
// and writes a second pattern of its own while they run; each child checks that it
// inherited the worker's pattern, writes its own, tells the worker, waits until every
// sibling and the worker have written theirs, and checks that it still sees only its own.
// Every process also checks a page nobody writes after the first fork. Every copy-on-write
// fault of the area happens while other processes on other CPUs write the same frames, so
// a stale writable translation, a lost copy or a reference count race shows as a word
// holding another process's pattern. Results travel as bytes on pipes (there is no
// wait()): 'w' written, 'k' checked and fine, 'x' a check failed.
#include <mman.h>
#include <string.h>

#include "fork_util.h"

#define WORKERS 6
#define ROUNDS 150
#define CHILDREN 2
#define MAP_PAGES 16
#define BSS_PAGES 4
#define STRIDE 64  // one checked word in every STRIDE (8 per page)

#define REGION ((unsigned long *)0x50000000ul)
#define WORDS_PER_PAGE (PAGE_SIZE / sizeof(unsigned long))

static unsigned long bss_area[BSS_PAGES][WORDS_PER_PAGE] __attribute__((aligned(PAGE_SIZE)));
static unsigned long untouched[WORDS_PER_PAGE] __attribute__((aligned(PAGE_SIZE)));

// The checked word `i` of the area (MAP_PAGES + BSS_PAGES pages).
static volatile unsigned long *word(unsigned long i) {
  unsigned long page = i / (WORDS_PER_PAGE / STRIDE);
  unsigned long at = (i % (WORDS_PER_PAGE / STRIDE)) * STRIDE + page % STRIDE;
  unsigned long *base = page < MAP_PAGES ? REGION + page * WORDS_PER_PAGE
                                         : bss_area[page - MAP_PAGES];
  return base + at;
}
#define WORDS ((MAP_PAGES + BSS_PAGES) * (WORDS_PER_PAGE / STRIDE))

// A value no other writer uses: the writer's tag in the high half, the word's index below.
static unsigned long value(unsigned long tag, unsigned long i) { return (tag << 32) | i; }

static void fill(unsigned long tag) {
  for (unsigned long i = 0; i < WORDS; i++) *word(i) = value(tag, i);
}

// Returns 1 if every checked word holds `tag`'s pattern and the untouched page its own;
// otherwise prints the first wrong word as `who` saw it and returns 0.
static int holds(unsigned long tag, const char *who) {
  for (unsigned long i = 0; i < WORDS; i++) {
    unsigned long got = *word(i);
    if (got != value(tag, i)) {
      printf("cow_smp_stress: %s: word %lu holds %#lx, expected %#lx\n", who, i, got,
             value(tag, i));
      return 0;
    }
  }
  for (unsigned long i = 0; i < WORDS_PER_PAGE; i++) {
    if (untouched[i] != ~i) {
      printf("cow_smp_stress: %s: the untouched page changed at word %lu\n", who, i);
      return 0;
    }
  }
  return 1;
}

static void say(int fd, char c) {
  if (write(fd, &c, 1) != 1) exit(103);
}

// Reads `n` one-byte reports from `fd`; returns how many were `want` (a closed pipe ends
// the count early).
static int count_reports(int fd, int n, char want) {
  int got = 0;
  for (int i = 0; i < n; i++) {
    char c;
    if (read(fd, &c, 1) != 1) break;
    got += c == want;
  }
  return got;
}

// A child of a worker's round: inherited `parent_tag`, writes and keeps `tag`.
static void child(unsigned long parent_tag, unsigned long tag, int report, int go) {
  char who[40];
  snprintf(who, sizeof who, "child %lx", tag);
  int ok = holds(parent_tag, who);
  fill(tag);
  say(report, ok ? 'w' : 'x');
  char byte;
  if (read(go, &byte, 1) != 1) exit(104);  // every sibling and the parent have written
  say(report, ok && holds(tag, who) ? 'k' : 'x');
  exit(0);
}

// One round of a worker: returns 1 if it and all its children saw only their own data.
static int round_of(unsigned long worker, int r) {
  unsigned long tag = (worker << 16) | ((unsigned long)r << 4);
  fill(tag);
  int report[2], go[2];
  ASSERT(pipe(report) == 0 && pipe(go) == 0);
  for (int c = 0; c < CHILDREN; c++) {
    if (must_fork() == 0) {
      close(report[0]);
      close(go[1]);
      child(tag, tag | (unsigned long)(c + 1), report[1], go[0]);
    }
  }
  close(report[1]);
  close(go[0]);
  unsigned long mine = tag | 0xf;  // written while the children write theirs
  fill(mine);
  int written = count_reports(report[0], CHILDREN, 'w');
  for (int c = 0; c < CHILDREN; c++) say(go[1], '!');
  close(go[1]);
  char who[40];
  snprintf(who, sizeof who, "worker %lu round %d", worker, r);
  int ok = holds(mine, who);
  int checked = count_reports(report[0], CHILDREN, 'k');
  drain_until_closed(report[0]);  // every child has exited
  close(report[0]);
  return ok && written == CHILDREN && checked == CHILDREN;
}

static void worker(unsigned long id, int report) {
  char who[24];
  snprintf(who, sizeof who, "worker %lu", id);
  int ok = holds(1, who);
  for (int r = 0; ok && r < ROUNDS; r++) ok = round_of(id, r);
  say(report, ok ? 'k' : 'x');
  exit(0);
}

int main(void) {
  ASSERT(mmap(REGION, MAP_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, -1, 0) == REGION);
  for (unsigned long i = 0; i < WORDS_PER_PAGE; i++) untouched[i] = ~i;
  fill(1);
  int report[2];
  ASSERT(pipe(report) == 0);
  for (unsigned long w = 0; w < WORKERS; w++) {
    if (must_fork() == 0) {
      close(report[0]);
      worker(w + 2, report[1]);
    }
  }
  close(report[1]);
  fill(0xfff);  // the main process's own writes race with the workers' first rounds
  int fine = count_reports(report[0], WORKERS, 'k');
  drain_until_closed(report[0]);
  close(report[0]);
  int ok = holds(0xfff, "main");
  if (!ok || fine != WORKERS) {
    printf("cow_smp_stress: %d of %d workers fine\n", fine, WORKERS);
    return 1;
  }
  printf("cow_smp_stress: %d workers x %d rounds x %d children, all data intact\n", WORKERS,
         ROUNDS, CHILDREN);
  return 0;
}
