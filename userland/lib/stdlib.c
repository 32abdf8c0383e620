// stdlib.h: number parsing, absolute values, sorting and binary search.
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

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size) {
  while (size--) {
    unsigned char t = *a;
    *a++ = *b;
    *b++ = t;
  }
}

// Heapsort: no recursion and no memory beyond the array, whatever the input.
// Moves element `root` down the max-heap of the first `count` elements until both its
// children are no greater.
static void sift_down(unsigned char *base, size_t root, size_t count, size_t size,
                      int (*compare)(const void *, const void *)) {
  for (;;) {
    size_t child = 2 * root + 1;
    if (child >= count) return;
    if (child + 1 < count && compare(base + child * size, base + (child + 1) * size) < 0) {
      child++;
    }
    if (compare(base + root * size, base + child * size) >= 0) return;
    swap_bytes(base + root * size, base + child * size, size);
    root = child;
  }
}

void qsort(void *base, size_t count, size_t size, int (*compare)(const void *, const void *)) {
  unsigned char *b = base;
  if (count < 2 || size == 0) return;
  for (size_t i = count / 2; i-- > 0;) sift_down(b, i, count, size, compare);
  for (size_t end = count - 1; end > 0; end--) {
    swap_bytes(b, b + end * size, size);  // the largest goes last
    sift_down(b, 0, end, size, compare);
  }
}

void *bsearch(const void *key, const void *base, size_t count, size_t size,
              int (*compare)(const void *, const void *)) {
  const unsigned char *b = base;
  size_t low = 0, high = count;  // the key, if present, is in [low, high)
  while (low < high) {
    size_t mid = low + (high - low) / 2;
    int order = compare(key, b + mid * size);
    if (order == 0) return (void *)(b + mid * size);
    if (order < 0) high = mid;
    else low = mid + 1;
  }
  return NULL;
}
