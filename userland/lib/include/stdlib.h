// stdlib.h: number parsing, absolute values, exit and random bytes.
#ifndef KEOS_STDLIB_H
#define KEOS_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

int atoi(const char *s);
long atol(const char *s);
// Parses an integer in `base` (2..36, or 0 to accept 0x and 0 prefixes); sets *end (when
// given) to the first byte not used.
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
int abs(int x);
long labs(long x);

// Sorts the `count` elements of `size` bytes at `base` in the order of `compare` (negative,
// zero or positive as its first argument is less than, equal to or greater than its
// second). Not stable.
void qsort(void *base, size_t count, size_t size, int (*compare)(const void *, const void *));
// The element equal to `key` in the sorted array of `count` elements of `size` bytes at
// `base` (compare(key, element) as for qsort), or NULL.
void *bsearch(const void *key, const void *base, size_t count, size_t size,
              int (*compare)(const void *, const void *));

__attribute__((noreturn)) void exit(int status);
ssize_t getrandom(void *buf, size_t len, unsigned int flags);

#endif
