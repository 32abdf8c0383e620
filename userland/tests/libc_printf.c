// libc_printf: the printf family of the user C library. Every case of the table is
// formatted twice, by vsnprintf into a buffer and by vdprintf into a pipe (the path of
// printf: a buffer flushed with write), and both must give the expected text and length.
// Then truncation by snprintf, output longer than printf's buffer, putchar and puts, and
// a few lines on standard output that the test compares.
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>

#include "check.h"

static int pipe_rd, pipe_wr, cases;

static void check_format(int line, const char *want, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void check_format(int line, const char *want, const char *fmt, ...) {
  char buf[256], piped[256];
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  int m = vdprintf(pipe_wr, fmt, ap2);
  va_end(ap2);
  va_end(ap);
  int want_len = (int)strlen(want);
  long got = m > 0 ? read(pipe_rd, piped, sizeof piped - 1) : 0;
  piped[got > 0 ? got : 0] = '\0';
  if (n != want_len || strcmp(buf, want) != 0 || m != want_len || strcmp(piped, want) != 0) {
    printf("FAIL line %d: \"%s\" gave \"%s\" (%d) and \"%s\" (%d), expected \"%s\" (%d)\n", line,
           fmt, buf, n, piped, m, want, want_len);
    exit(1);
  }
  cases++;
}

#define T(want, ...) check_format(__LINE__, want, __VA_ARGS__)

static void conversions(void) {
  // The table (each expectation agrees with the host's C library).
  T("42", "%d", 42);
  T("-42", "%d", -42);
  T("0", "%d", 0);
  T("-2147483648", "%d", INT_MIN);
  T("2147483647", "%i", INT_MAX);
  T("4294967295", "%u", UINT_MAX);
  T("3000000000", "%u", 3000000000u);
  T("ff", "%x", 255);
  T("FF", "%X", 255);
  T("deadbeef", "%x", 0xdeadbeefu);
  T("DEADBEEF", "%X", 0xdeadbeefu);
  T("ffffffff", "%x", -1);
  T("0x401000", "%p", (void *)0x401000);
  T("0xffff800000000000", "%p", (void *)0xffff800000000000ul);
  T("hello", "%s", "hello");
  T("", "%s", "");
  T("A", "%c", 'A');
  T("%", "%%");
  T("100%", "%d%%", 100);
  T("-9223372036854775808", "%lld", LLONG_MIN);
  T("9223372036854775807", "%lld", LLONG_MAX);
  T("ffffffffffffffff", "%llx", ULLONG_MAX);
  T("FFFFFFFFFFFFFFFF", "%llX", ULLONG_MAX);
  T("18446744073709551615", "%llu", ULLONG_MAX);
  T("123456789012", "%zu", (size_t)123456789012ul);
  T("-1234567890123", "%ld", -1234567890123l);
  T("1234567890123", "%lu", 1234567890123ul);
  T("7fffffffffffffff", "%lx", LONG_MAX);
  T("-1", "%hhd", 255);
  T("255", "%hhu", 255);
  T("-1", "%hd", 65535);
  T("65535", "%hu", 65535);
  T("17", "%o", 15);
  // Widths and flags.
  T("  42", "%4d", 42);
  T("42  |", "%-4d|", 42);
  T("0042", "%04d", 42);
  T("-042", "%04d", -42);
  T("  -42", "%5d", -42);
  T("-42  |", "%-5d|", -42);
  T("42", "%1d", 42);
  T("+42", "%+d", 42);
  T("-42", "%+d", -42);
  T(" 42", "% d", 42);
  T("  +42", "%+5d", 42);
  T("+42  |", "%-+5d|", 42);
  T("+0042", "%+05d", 42);
  T("00ff", "%04x", 255);
  T("0x00ff", "%#06x", 255);
  T("0xff", "%#x", 255);
  T("0XFF", "%#X", 255);
  T("0", "%#x", 0);
  T("017", "%#o", 15);
  T("    x", "%5c", 'x');
  T("x    |", "%-5c|", 'x');
  T("   hi", "%5s", "hi");
  T("hi   |", "%-5s|", "hi");
  T("hello", "%2s", "hello");
  T("  0x1f", "%6p", (void *)0x1f);
  T("0x1f  |", "%-6p|", (void *)0x1f);
  T("      1234567890123", "%19lld", 1234567890123ll);
  T("00000000000000000abc", "%020llx", 0xabcull);
  T("     7", "%6zu", (size_t)7);
  T("-7    |", "%-6ld|", -7l);
  // Precision.
  T("00042", "%.5d", 42);
  T("  00042", "%7.5d", 42);
  T("-00042", "%.5d", -42);
  T("     042", "%8.3d", 42);
  T("", "%.0d", 0);
  T("     ", "%5.0d", 0);
  T("000000ff", "%.8x", 255);
  T("hel", "%.3s", "hello");
  T("  hel", "%5.3s", "hello");
  T("hel  |", "%-5.3s|", "hello");
  T("hello", "%.10s", "hello");
  T("", "%.0s", "hello");
  // Widths and precisions as arguments.
  T("   42", "%*d", 5, 42);
  T("42   |", "%*d|", -5, 42);
  T("004", "%.*d", 3, 4);
  T("   ab", "%*.*s", 5, 2, "abc");
  // Several conversions together.
  T("1 2 3", "%d %d %d", 1, 2, 3);
  T("a=1, b=two, c=3", "a=%d, b=%s, c=%c", 1, "two", '3');
  T("[-1|ffffffffffffffff|18446744073709551615]", "[%ld|%lx|%lu]", -1l, -1l, -1l);
}

// snprintf: the return value is the full length; the buffer holds what fits, terminated.
static void truncation(void) {
  char b[16];
  memset(b, 'Z', sizeof b);
  CHECK_EQ(snprintf(b, 5, "%s", "hello world"), 11);
  CHECK(strcmp(b, "hell") == 0);
  CHECK_EQ(b[5], 'Z');
  CHECK_EQ(snprintf(b, 1, "%d", 12345), 5);
  CHECK_EQ(b[0], '\0');
  CHECK_EQ(b[1], 'e');
  CHECK_EQ(snprintf(NULL, 0, "%d", 12345), 5);
  CHECK_EQ(snprintf(b, 8, "%d", 1234567), 7);
  CHECK(strcmp(b, "1234567") == 0);
  CHECK_EQ(snprintf(b, 8, "%d", 12345678), 8);
  CHECK(strcmp(b, "1234567") == 0);
  memset(b, 'Z', sizeof b);
  CHECK_EQ(snprintf(b, 4, "%5d|", 42), 6);
  CHECK(memcmp(b, "   \0Z", 5) == 0);
  CHECK_EQ(sprintf(b, "%03d-%s", 7, "x"), 5);
  CHECK(strcmp(b, "007-x") == 0);
}

// Output longer than printf's internal buffer comes out whole, in order.
static void long_output(void) {
  static char text[3001], back[3100];
  for (int i = 0; i < 3000; i++) text[i] = (char)('a' + i % 26);
  text[3000] = '\0';
  CHECK_EQ(dprintf(pipe_wr, "<%s|%d>", text, 42), 3005);
  long got = 0, n;
  while (got < 3005 && (n = read(pipe_rd, back + got, sizeof back - got)) > 0) got += n;
  CHECK_EQ(got, 3005);
  CHECK_EQ(back[0], '<');
  CHECK(memcmp(back + 1, text, 3000) == 0);
  CHECK(memcmp(back + 3001, "|42>", 4) == 0);
}

int main(void) {
  int fds[2];
  CHECK_EQ(pipe(fds), 0);
  pipe_rd = fds[0];
  pipe_wr = fds[1];
  conversions();
  truncation();
  long_output();

  // On standard output.
  CHECK_EQ(printf("%d %u %x %X %p %s %c %lld %llx %zu %ld\n", -1, 1u, 0xab, 0xab,
                  (void *)0x4747ffc0, "str", 'c', -5ll, 0xabcll, (size_t)9, -7l),
           40);
  CHECK_EQ(printf("[%5d|%-5d|%05d|%.2s|%3c]\n", 1, 2, 3, "xyz", 'q'), 27);
  CHECK_EQ(putchar('p'), 'p');
  CHECK_EQ(putchar('\n'), '\n');
  CHECK_EQ(puts("puts adds a newline"), 0);
  CHECK_EQ(printf("%s", ""), 0);
  printf("libc_printf: %d formats ok\n", cases);
  return 0;
}
