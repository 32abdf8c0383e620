// bench_fork MODE MIB REPS: the cost of fork in a process that has touched MIB MiB.
// MODE names what the kernel was set to do (the bench harness sets it): "cow" (the real
// fork) or "eager" (every page copied at fork time). Each repetition forks; the child
// exits at once; the parent times fork() until it returns, and until the child's exit
// closes a pipe. Prints METRIC fork_MODE_MIBm and fork_exit_MODE_MIBm.
#include <mman.h>
#include <stdlib.h>
#include <syscall.h>

#include "bench_util.h"

static Samples fork_time, fork_exit_time;

int main(int argc, char **argv) {
  if (argc != 4) return 2;
  const char *mode = argv[1];
  unsigned long mib = (unsigned long)atoi(argv[2]);
  int reps = atoi(argv[3]);
  volatile char *region = (volatile char *)0x100000000;  // above the stack (0x47470000)
  if (mib != 0) {
    if (mmap((void *)region, mib << 20, PROT_READ | PROT_WRITE, -1, 0) != (void *)region) return 3;
    for (unsigned long off = 0; off < mib << 20; off += 4096) region[off] = 1;
  }
  for (int i = 0; i < reps; i++) {
    int done[2];
    if (pipe(done) != 0) return 4;
    unsigned long t0 = bench_now();
    long pid = fork();
    if (pid == 0) exit(0);
    unsigned long t1 = bench_now();
    if (pid < 0) return 5;
    close(done[1]);
    char byte;
    while (read(done[0], &byte, 1) > 0) {
    }
    unsigned long t2 = bench_now();
    close(done[0]);
    samples_add(&fork_time, t1 - t0);
    samples_add(&fork_exit_time, t2 - t0);
  }
  char name[64];
  snprintf(name, sizeof name, "fork_%s_%lum", mode, mib);
  metric(name, &fork_time);
  snprintf(name, sizeof name, "fork_exit_%s_%lum", mode, mib);
  metric(name, &fork_exit_time);
  return 0;
}
