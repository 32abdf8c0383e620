// Helpers of the benchmark programs (bench_*.c, run by `make bench`): a timestamp and the
// METRIC line of keos/bench.hpp (median, p10, p90 of the collected values).
#ifndef KEOS_TESTS_BENCH_UTIL_H
#define KEOS_TESTS_BENCH_UTIL_H

#include <stdio.h>

#define BENCH_MAX_SAMPLES 1024

// `lfence; rdtsc; lfence`: TSC cycles (instructions under QEMU's -icount).
static inline unsigned long bench_now(void) {
  unsigned int lo, hi;
  __asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi)::"memory");
  return ((unsigned long)hi << 32) | lo;
}

typedef struct {
  unsigned long values[BENCH_MAX_SAMPLES];
  int count;
} Samples;

static inline void samples_add(Samples *s, unsigned long value) {
  if (s->count < BENCH_MAX_SAMPLES) s->values[s->count++] = value;
}

static inline unsigned long samples_percentile(Samples *s, int q) {
  if (s->count == 0) return 0;
  for (int i = 1; i < s->count; i++) {
    unsigned long v = s->values[i];
    int j = i;
    for (; j > 0 && s->values[j - 1] > v; j--) s->values[j] = s->values[j - 1];
    s->values[j] = v;
  }
  return s->values[(s->count - 1) * q / 100];
}

static inline void metric(const char *name, Samples *s) {
  unsigned long median = samples_percentile(s, 50);
  printf("METRIC %s %lu cycles p10=%lu p90=%lu n=%d\n", name, median, samples_percentile(s, 10),
         samples_percentile(s, 90), s->count);
}

#endif
