// stdio.h: formatted output. printf formats into a buffer and writes it to standard output
// with one write() (output longer than the buffer takes more). Conversions: d i u x X o c
// s p %, with the flags - 0 + space #, a width and a precision (also as *), and the length
// modifiers hh h l ll z t j. Brings in debug.h, stdarg.h, stdbool.h, stddef.h and stdint.h,
// as KeOS's does.
#ifndef KEOS_STDIO_H
#define KEOS_STDIO_H

#include <debug.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2
#define EOF (-1)

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
// Like printf, to the file descriptor `fd` (KeOS's names; dprintf and vdprintf are the
// same functions under their POSIX names).
int hprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vhprintf(int fd, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
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

// Prints the `size` bytes at `buf` to standard output, 16 to a line, in hexadecimal; each
// line starts with the offset of its first byte, counted from `ofs` (pass the address to
// see addresses), and with `ascii` ends with the printable characters between bars:
//   0000000000401000  48 65 6c 6c 6f 2c 20 4b-65 4f 53 21 0a 00 00 00 |Hello, KeOS!....|
// A line covers the 16-byte aligned range holding its bytes; bytes outside the buffer
// show as blanks.
void hex_dump(uintptr_t ofs, const void *buf, size_t size, bool ascii);

#endif
