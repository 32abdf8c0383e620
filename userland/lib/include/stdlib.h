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

__attribute__((noreturn)) void exit(int status);
ssize_t getrandom(void *buf, size_t len, unsigned int flags);

#endif
