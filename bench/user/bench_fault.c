// bench_fault PAGES: the cost of page faults, one sample per page. A first write to a
// fresh anonymous page (demand_zero_fault); after a fork, the child's first write to each
// shared page (cow_fault: a copy); then, once the child has exited, the parent's first
// write to each page (cow_fault_sole: nobody shares the frame any more, no copy).
#include <mman.h>
#include <stdlib.h>
#include <syscall.h>

#include "bench_util.h"

static Samples zero_fault, cow_fault, sole_fault;

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  int pages = atoi(argv[1]);
  volatile char *region = (volatile char *)0x100000000;  // above the stack (0x47470000)
  if (mmap((void *)region, (unsigned long)pages * 4096, PROT_READ | PROT_WRITE, -1, 0) !=
      (void *)region) {
    return 3;
  }
  for (int i = 0; i < pages; i++) {
    unsigned long t0 = bench_now();
    region[i * 4096] = 1;
    samples_add(&zero_fault, bench_now() - t0);
  }
  metric("demand_zero_fault", &zero_fault);
  int done[2];
  if (pipe(done) != 0) return 4;
  long pid = fork();
  if (pid < 0) return 5;
  if (pid == 0) {
    close(done[0]);
    for (int i = 0; i < pages; i++) {
      unsigned long t0 = bench_now();
      region[i * 4096] = 2;
      samples_add(&cow_fault, bench_now() - t0);
    }
    metric("cow_fault", &cow_fault);
    exit(0);
  }
  close(done[1]);
  char byte;
  while (read(done[0], &byte, 1) > 0) {
  }
  for (int i = 0; i < pages; i++) {
    unsigned long t0 = bench_now();
    region[i * 4096] = 3;
    samples_add(&sole_fault, bench_now() - t0);
  }
  metric("cow_fault_sole", &sole_fault);
  return 0;
}
