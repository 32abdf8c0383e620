// stdio.h: formatted output. printf formats into a buffer and writes it to standard output
// with one write() (output longer than the buffer takes more). Conversions: d i u x X o c
// s p %, with the flags - 0 + space #, a width and a precision (also as *), and the length
// modifiers hh h l ll z t j.
#ifndef KEOS_STDIO_H
#define KEOS_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2
#define EOF (-1)

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
// Like printf, to the file descriptor `fd`.
int dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vdprintf(int fd, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
// Format into `buf` (at most `size` bytes, always terminated when size > 0); return the
// length the whole output would have.
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int sprintf(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

// Writes one character to standard output; returns it.
int putchar(int c);
// Writes `s` and a newline to standard output.
int puts(const char *s);

#endif
