// libc_string: the memory and string functions, number parsing and character classes of
// the user C library, and getrandom (RDRAND in user space: fills exactly the buffer and
// returns its length). Comparison results are checked by sign only.
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define SIGN(x) ((x) > 0 ? 1 : (x) < 0 ? -1 : 0)

static void memory(void) {
  char a[32], b[32];
  memset(a, 'x', sizeof a);
  CHECK_EQ(memset(a + 4, 'y', 8), a + 4);
  CHECK_EQ(a[3], 'x');
  CHECK_EQ(a[4], 'y');
  CHECK_EQ(a[11], 'y');
  CHECK_EQ(a[12], 'x');
  CHECK_EQ(memset(a, 0x1ff, 2), a);  // the value is converted to unsigned char
  CHECK_EQ((unsigned char)a[0], 0xff);
  CHECK_EQ(memset(a, 'q', 0), a);
  CHECK_EQ((unsigned char)a[0], 0xff);

  memset(b, 0, sizeof b);
  CHECK_EQ(memcpy(b, "0123456789", 10), b);
  CHECK(memcmp(b, "0123456789\0", 11) == 0);
  CHECK_EQ(memcpy(b, "zz", 0), b);
  CHECK_EQ(b[0], '0');

  // memmove with overlap, in both directions.
  strcpy(a, "0123456789");
  CHECK_EQ(memmove(a + 2, a, 8), a + 2);
  CHECK(memcmp(a, "0101234567", 10) == 0);
  strcpy(a, "0123456789");
  CHECK_EQ(memmove(a, a + 3, 7), a);
  CHECK(memcmp(a, "3456789789", 10) == 0);
  strcpy(a, "abc");
  CHECK_EQ(memmove(a, a, 4), a);
  CHECK(strcmp(a, "abc") == 0);

  // memcmp compares unsigned bytes.
  CHECK_EQ(memcmp("abc", "abc", 3), 0);
  CHECK_EQ(SIGN(memcmp("abc", "abd", 3)), -1);
  CHECK_EQ(SIGN(memcmp("abd", "abc", 3)), 1);
  CHECK_EQ(SIGN(memcmp("\x80", "\x7f", 1)), 1);
  CHECK_EQ(memcmp("abX", "abY", 2), 0);
  CHECK_EQ(memcmp("a", "b", 0), 0);

  const char *s = "hello";
  CHECK_EQ(memchr(s, 'l', 5), s + 2);
  CHECK_EQ(memchr(s, 'o', 4), NULL);
  CHECK_EQ(memchr(s, '\0', 6), s + 5);
}

static void strings(void) {
  CHECK_EQ(strlen(""), 0);
  CHECK_EQ(strlen("hello"), 5);
  CHECK_EQ(strnlen("hello", 3), 3);
  CHECK_EQ(strnlen("hi", 10), 2);

  CHECK_EQ(strcmp("abc", "abc"), 0);
  CHECK_EQ(SIGN(strcmp("abc", "abd")), -1);
  CHECK_EQ(SIGN(strcmp("abd", "abc")), 1);
  CHECK_EQ(SIGN(strcmp("ab", "abc")), -1);
  CHECK_EQ(SIGN(strcmp("abc", "ab")), 1);
  CHECK_EQ(SIGN(strcmp("", "a")), -1);
  CHECK_EQ(SIGN(strcmp("\xff", "a")), 1);  // unsigned characters
  CHECK_EQ(strncmp("abcdef", "abcxyz", 3), 0);
  CHECK_EQ(SIGN(strncmp("abcdef", "abcxyz", 4)), -1);
  CHECK_EQ(strncmp("abc", "abd", 0), 0);
  CHECK_EQ(strncmp("ab", "ab", 10), 0);
  CHECK_EQ(SIGN(strncmp("ab", "abc", 10)), -1);

  char buf[32];
  memset(buf, 'Z', sizeof buf);
  CHECK_EQ(strcpy(buf, "copy"), buf);
  CHECK(memcmp(buf, "copy\0Z", 6) == 0);
  memset(buf, 'Z', sizeof buf);
  CHECK_EQ(strncpy(buf, "ab", 5), buf);
  CHECK(memcmp(buf, "ab\0\0\0Z", 6) == 0);  // padded with NULs to n
  memset(buf, 'Z', sizeof buf);
  CHECK_EQ(strncpy(buf, "abcdef", 3), buf);
  CHECK(memcmp(buf, "abcZ", 4) == 0);  // not terminated when src is longer
  CHECK_EQ(strlcpy(buf, "truncated", 5), 9);
  CHECK(strcmp(buf, "trun") == 0);
  strcpy(buf, "con");
  CHECK_EQ(strcat(buf, "cat"), buf);
  CHECK(strcmp(buf, "concat") == 0);
  CHECK_EQ(strncat(buf, "enate!", 5), buf);
  CHECK(strcmp(buf, "concatenate") == 0);

  const char *s = "a/b/c";
  CHECK_EQ(strchr(s, '/'), s + 1);
  CHECK_EQ(strrchr(s, '/'), s + 3);
  CHECK_EQ(strchr(s, 'x'), NULL);
  CHECK_EQ(strrchr(s, 'x'), NULL);
  CHECK_EQ(strchr(s, '\0'), s + 5);
  CHECK_EQ(strrchr(s, '\0'), s + 5);
  CHECK_EQ(strchr(s, 'a'), s);
  CHECK_EQ(strrchr(s, 'a'), s);

  const char *h = "the cat sat on the mat";
  CHECK_EQ(strstr(h, "the"), h);
  CHECK_EQ(strstr(h, "at"), h + 5);
  CHECK_EQ(strstr(h, "mat"), h + 19);
  CHECK_EQ(strstr(h, "dog"), NULL);
  CHECK_EQ(strstr(h, ""), h);
  CHECK_EQ(strstr("ab", "abc"), NULL);
  const char *t = "aaab";
  CHECK_EQ(strstr(t, "aab"), t + 1);  // a partial match first
}

static void numbers(void) {
  CHECK_EQ(atoi("0"), 0);
  CHECK_EQ(atoi("42"), 42);
  CHECK_EQ(atoi("-123abc"), -123);
  CHECK_EQ(atoi("  +7"), 7);
  CHECK_EQ(atoi("\t\n 15 16"), 15);
  CHECK_EQ(atoi("2147483647"), INT_MAX);
  CHECK_EQ(atoi("-2147483648"), INT_MIN);
  CHECK_EQ(atoi("abc"), 0);
  CHECK_EQ(atoi(""), 0);
  CHECK_EQ(atol("-9000000000"), -9000000000l);

  char *end;
  const char *s = "  -1234xyz";
  CHECK_EQ(strtol(s, &end, 10), -1234);
  CHECK_EQ(end, s + 7);
  s = "0x1fG";
  CHECK_EQ(strtol(s, &end, 16), 31);
  CHECK_EQ(end, s + 4);
  CHECK_EQ(strtol("0x1f", NULL, 0), 31);
  CHECK_EQ(strtol("017", NULL, 0), 15);
  CHECK_EQ(strtol("17", NULL, 0), 17);
  CHECK_EQ(strtol("0", NULL, 0), 0);
  CHECK_EQ(strtol("101", NULL, 2), 5);
  CHECK_EQ(strtol("zz", NULL, 36), 35 * 36 + 35);
  CHECK_EQ(strtol("FfFf", NULL, 16), 0xffff);
  CHECK_EQ(strtol("9223372036854775807", NULL, 10), LONG_MAX);
  CHECK_EQ(strtol("-9223372036854775808", NULL, 10), LONG_MIN);
  CHECK_EQ(strtol("99999999999999999999", NULL, 10), LONG_MAX);  // saturates
  CHECK_EQ(strtol("-99999999999999999999", NULL, 10), LONG_MIN);
  s = "  xyz";
  CHECK_EQ(strtol(s, &end, 10), 0);
  CHECK_EQ(end, s);  // no digits: nothing used
  s = "12";
  CHECK_EQ(strtol(s, &end, 10), 12);
  CHECK_EQ(end, s + 2);
  CHECK_EQ(strtoul("18446744073709551615", NULL, 10), ULONG_MAX);
  CHECK_EQ(strtoul("ffffffffffffffff", NULL, 16), ULONG_MAX);
  CHECK_EQ(abs(-5), 5);
  CHECK_EQ(abs(5), 5);
  CHECK_EQ(labs(-5000000000l), 5000000000l);
}

static void classes(void) {
  CHECK(isdigit('0') && isdigit('9') && !isdigit('a') && !isdigit('/'));
  CHECK(isalpha('a') && isalpha('Z') && !isalpha('1') && !isalpha('['));
  CHECK(isspace(' ') && isspace('\t') && isspace('\n') && isspace('\r') && !isspace('x'));
  CHECK(isxdigit('f') && isxdigit('F') && isxdigit('7') && !isxdigit('g'));
  CHECK(isupper('Q') && !isupper('q') && islower('q') && !islower('Q'));
  CHECK(isalnum('z') && isalnum('5') && !isalnum('-'));
  CHECK(isprint(' ') && !isprint('\n') && ispunct('!') && !ispunct('a'));
  CHECK_EQ(toupper('a'), 'A');
  CHECK_EQ(toupper('1'), '1');
  CHECK_EQ(tolower('Q'), 'q');
  CHECK_EQ(tolower('q'), 'q');
}

static void random_bytes(void) {
  unsigned char buf[64 + 8], other[64];
  memset(buf, 0, sizeof buf);
  memset(buf + 64, 0xa5, 8);
  CHECK_EQ(getrandom(buf, 64, 0), 64);
  int nonzero = 0;
  for (int i = 0; i < 64; i++) nonzero |= buf[i];
  CHECK(nonzero != 0);
  for (int i = 64; i < 72; i++) CHECK_EQ(buf[i], 0xa5);  // nothing past the buffer
  CHECK_EQ(getrandom(other, 64, 0), 64);
  CHECK(memcmp(buf, other, 64) != 0);
  // Odd lengths and offsets: exactly len bytes change.
  memset(buf, 0xa5, sizeof buf);
  CHECK_EQ(getrandom(buf + 3, 13, 0), 13);
  CHECK_EQ(buf[2], 0xa5);
  CHECK_EQ(buf[16], 0xa5);
  CHECK_EQ(getrandom(buf, 0, 0), 0);
}

int main(void) {
  memory();
  strings();
  numbers();
  classes();
  random_bytes();
  printf("libc_string: ok\n");
  return 0;
}
