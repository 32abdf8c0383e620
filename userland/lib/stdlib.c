// stdlib.h: number parsing and absolute values.
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>

static int digit_value(int c) {
  if (isdigit(c)) return c - '0';
  if (isalpha(c)) return tolower(c) - 'a' + 10;
  return 99;
}

// Parses the magnitude; *negative tells the sign. Saturates at ULONG_MAX.
static unsigned long parse(const char *s, char **end, int base, int *negative) {
  const char *p = s;
  while (isspace(*p)) p++;
  *negative = *p == '-';
  if (*p == '-' || *p == '+') p++;
  if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
      isxdigit(p[2])) {
    p += 2;
    base = 16;
  } else if (base == 0) {
    base = p[0] == '0' ? 8 : 10;
  }
  const char *digits = p;
  unsigned long value = 0;
  int overflow = 0;
  for (int d; (d = digit_value(*p)) < base; p++) {
    if (value > (ULONG_MAX - (unsigned long)d) / (unsigned long)base) overflow = 1;
    value = value * (unsigned long)base + (unsigned long)d;
  }
  if (end) *end = (char *)(p == digits ? s : p);
  return overflow ? ULONG_MAX : value;
}

long strtol(const char *s, char **end, int base) {
  int negative;
  unsigned long magnitude = parse(s, end, base, &negative);
  if (negative) return magnitude > (unsigned long)LONG_MAX + 1 ? LONG_MIN : -(long)(magnitude - 1) - 1;
  return magnitude > LONG_MAX ? LONG_MAX : (long)magnitude;
}

unsigned long strtoul(const char *s, char **end, int base) {
  int negative;
  unsigned long magnitude = parse(s, end, base, &negative);
  return negative ? -magnitude : magnitude;
}

long atol(const char *s) { return strtol(s, NULL, 10); }
int atoi(const char *s) { return (int)strtol(s, NULL, 10); }
int abs(int x) { return x < 0 ? -x : x; }
long labs(long x) { return x < 0 ? -x : x; }
