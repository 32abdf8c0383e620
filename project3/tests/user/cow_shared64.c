// cow_shared64: one frame shared by 65 processes. The parent fills a page and forks 64
// children; all wait at a barrier (a pipe nobody writes: closing its last write end
// releases them together), then each writes its own number into the page at the same
// time, on every CPU, and checks that it got a private copy with its own data. Racing
// copy-on-write faults on one frame stress its reference count. Afterwards the parent's
// page is untouched, and since every child has copied or exited, the parent is the frame's
// only user again: its write reuses the frame in place.
#include <mman.h>

#include "fork_util.h"

#define CHILDREN 64

int main(void) {
  volatile int *page = (volatile int *)0x20000000;
  ASSERT(mmap((void *)page, PAGE_SIZE, PROT_READ | PROT_WRITE, -1, 0) == (void *)page);
  for (int i = 0; i < PAGE_SIZE / 4; i++) page[i] = -1;
  unsigned long frame = frame_of(page);
  int barrier[2], report[2];
  ASSERT(pipe(barrier) == 0 && pipe(report) == 0);
  for (int id = 0; id < CHILDREN; id++) {
    if (must_fork() != 0) continue;
    close(barrier[1]);
    close(report[0]);
    char byte;
    ASSERT(read(barrier[0], &byte, 1) == EPIPE_RESULT);  // released
    ASSERT(page[0] == -1);
    for (int i = 0; i < PAGE_SIZE / 4; i++) page[i] = id;
    ASSERT(frame_of(page) != frame);
    for (int i = 0; i < PAGE_SIZE / 4; i++) ASSERT(page[i] == id);
    char ok = 'k';
    ASSERT(write(report[1], &ok, 1) == 1);
    exit(0);
  }
  close(barrier[0]);
  close(report[1]);
  close(barrier[1]);  // go
  char oks[CHILDREN + 1];
  long got = 0, n;
  while ((n = read(report[0], oks + got, sizeof oks - (size_t)got)) > 0) got += n;
  printf("cow_shared64: %ld of %d children wrote their own copy\n", got, CHILDREN);
  for (int i = 0; i < PAGE_SIZE / 4; i++) ASSERT(page[i] == -1);
  ASSERT(frame_of(page) == frame);
  page[0] = 7;
  ASSERT(frame_of(page) == frame);  // the only user left: no copy
  printf("cow_shared64: parent intact, frame reused\n");
  return 0;
}
