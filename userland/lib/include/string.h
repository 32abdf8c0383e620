// string.h: memory and NUL-terminated string functions.
#ifndef KEOS_STRING_H
#define KEOS_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *dst, const char *src);
char *strncpy(char *dst, const char *src, size_t n);
// Copies at most size - 1 bytes and always terminates (when size > 0); returns strlen(src).
size_t strlcpy(char *dst, const char *src, size_t size);
// Appends `src` to the string in `dst` (a buffer of `size` bytes), keeping it terminated;
// returns the length the whole result would have (strlen(dst) + strlen(src), dst's length
// counting at most `size`).
size_t strlcat(char *dst, const char *src, size_t size);
char *strcat(char *dst, const char *src);
char *strncat(char *dst, const char *src, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
// The length of the longest prefix of `s` made only of bytes in `accept`.
size_t strspn(const char *s, const char *accept);
// The length of the longest prefix of `s` with no byte of `reject`.
size_t strcspn(const char *s, const char *reject);
// The first byte of `s` that is in `accept`, or NULL.
char *strpbrk(const char *s, const char *accept);
// Splits a string into tokens separated by bytes of `delim`: the first call passes the
// string as `s`, later calls NULL; *save_ptr keeps the position between calls. Each token
// is terminated in place; NULL when no token is left.
char *strtok_r(char *s, const char *delim, char **save_ptr);

#endif
