// stdio.h: one formatter (format) behind every printf variant. It writes through a Sink: a
// caller-supplied buffer (snprintf), or a buffer flushed to a file descriptor (printf).
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>

typedef struct Sink {
  char *buf;
  size_t size;     // capacity of buf
  size_t used;     // bytes in buf
  size_t total;    // bytes produced so far
  int fd;          // >= 0: flush to this descriptor when full; < 0: truncate
} Sink;

static void flush(Sink *s) {
  size_t done = 0;
  while (done < s->used) {
    ssize_t n = write(s->fd, s->buf + done, s->used - done);
    if (n <= 0) break;
    done += (size_t)n;
  }
  s->used = 0;
}

static void put(Sink *s, char c) {
  s->total++;
  if (s->used == s->size) {
    if (s->fd < 0) return;
    flush(s);
  }
  s->buf[s->used++] = c;
}

static void put_repeated(Sink *s, char c, int n) {
  while (n-- > 0) put(s, c);
}

typedef struct Spec {
  int left, zero, plus, space, alt;
  int width;
  int precision;  // -1: none
} Spec;

// Writes a converted number: sign/prefix, zeros to the precision, padding to the width.
static void put_number(Sink *s, const Spec *spec, uintmax_t value, unsigned base, int upper,
                       const char *sign, int is_pointer) {
  const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char tmp[24];
  int len = 0;
  if (!(value == 0 && spec->precision == 0)) {
    do {
      tmp[len++] = digits[value % base];
      value /= base;
    } while (value);
  }
  const char *prefix = sign;
  if ((spec->alt && base == 16 && len && tmp[len - 1] != '0') || is_pointer) {
    prefix = upper ? "0X" : "0x";
  } else if (spec->alt && base == 8 && (len == 0 || tmp[len - 1] != '0')) {
    prefix = "0";
  }
  int zeros = spec->precision > len ? spec->precision - len : 0;
  int body = (int)strlen(prefix) + zeros + len;
  int pad = spec->width > body ? spec->width - body : 0;
  if (spec->zero && !spec->left && spec->precision < 0) {
    zeros += pad;
    pad = 0;
  }
  if (!spec->left) put_repeated(s, ' ', pad);
  for (const char *p = prefix; *p; p++) put(s, *p);
  put_repeated(s, '0', zeros);
  while (len) put(s, tmp[--len]);
  if (spec->left) put_repeated(s, ' ', pad);
}

static void put_text(Sink *s, const Spec *spec, const char *text, size_t len) {
  int pad = spec->width > (int)len ? spec->width - (int)len : 0;
  if (!spec->left) put_repeated(s, ' ', pad);
  for (size_t i = 0; i < len; i++) put(s, text[i]);
  if (spec->left) put_repeated(s, ' ', pad);
}

enum Length { kInt, kChar, kShort, kLong, kLongLong, kSize };

static intmax_t signed_arg(va_list *ap, enum Length length) {
  switch (length) {
    case kChar: return (signed char)va_arg(*ap, int);
    case kShort: return (short)va_arg(*ap, int);
    case kLong: return va_arg(*ap, long);
    case kLongLong: return va_arg(*ap, long long);
    case kSize: return va_arg(*ap, long);
    default: return va_arg(*ap, int);
  }
}

static uintmax_t unsigned_arg(va_list *ap, enum Length length) {
  switch (length) {
    case kChar: return (unsigned char)va_arg(*ap, unsigned);
    case kShort: return (unsigned short)va_arg(*ap, unsigned);
    case kLong: return va_arg(*ap, unsigned long);
    case kLongLong: return va_arg(*ap, unsigned long long);
    case kSize: return va_arg(*ap, unsigned long);
    default: return va_arg(*ap, unsigned);
  }
}

static void format(Sink *s, const char *fmt, va_list ap_in) {
  va_list ap;
  va_copy(ap, ap_in);
  for (; *fmt; fmt++) {
    if (*fmt != '%') {
      put(s, *fmt);
      continue;
    }
    Spec spec = {0, 0, 0, 0, 0, 0, -1};
    for (;; fmt++) {
      char f = fmt[1];
      if (f == '-') spec.left = 1;
      else if (f == '0') spec.zero = 1;
      else if (f == '+') spec.plus = 1;
      else if (f == ' ') spec.space = 1;
      else if (f == '#') spec.alt = 1;
      else break;
    }
    fmt++;
    if (*fmt == '*') {
      spec.width = va_arg(ap, int);
      if (spec.width < 0) spec.left = 1, spec.width = -spec.width;
      fmt++;
    } else {
      while (*fmt >= '0' && *fmt <= '9') spec.width = spec.width * 10 + (*fmt++ - '0');
    }
    if (*fmt == '.') {
      fmt++;
      spec.precision = 0;
      if (*fmt == '*') {
        spec.precision = va_arg(ap, int);
        if (spec.precision < 0) spec.precision = -1;
        fmt++;
      } else {
        while (*fmt >= '0' && *fmt <= '9') spec.precision = spec.precision * 10 + (*fmt++ - '0');
      }
    }
    enum Length length = kInt;
    if (*fmt == 'h') {
      length = fmt[1] == 'h' ? kChar : kShort;
      fmt += length == kChar ? 2 : 1;
    } else if (*fmt == 'l') {
      length = fmt[1] == 'l' ? kLongLong : kLong;
      fmt += length == kLongLong ? 2 : 1;
    } else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j') {
      length = kSize;
      fmt++;
    }
    switch (*fmt) {
      case 'd':
      case 'i': {
        intmax_t v = signed_arg(&ap, length);
        const char *sign = v < 0 ? "-" : spec.plus ? "+" : spec.space ? " " : "";
        uintmax_t magnitude = v < 0 ? -(uintmax_t)v : (uintmax_t)v;
        put_number(s, &spec, magnitude, 10, 0, sign, 0);
        break;
      }
      case 'u': put_number(s, &spec, unsigned_arg(&ap, length), 10, 0, "", 0); break;
      case 'x': put_number(s, &spec, unsigned_arg(&ap, length), 16, 0, "", 0); break;
      case 'X': put_number(s, &spec, unsigned_arg(&ap, length), 16, 1, "", 0); break;
      case 'o': put_number(s, &spec, unsigned_arg(&ap, length), 8, 0, "", 0); break;
      case 'p':
        put_number(s, &spec, (uintptr_t)va_arg(ap, void *), 16, 0, "", 1);
        break;
      case 'c': {
        char c = (char)va_arg(ap, int);
        put_text(s, &spec, &c, 1);
        break;
      }
      case 's': {
        const char *text = va_arg(ap, const char *);
        if (!text) text = "(null)";
        size_t len = spec.precision >= 0 ? strnlen(text, (size_t)spec.precision) : strlen(text);
        put_text(s, &spec, text, len);
        break;
      }
      case '%': put(s, '%'); break;
      case '\0': fmt--; break;  // a lone '%' at the end
      default:  // unknown conversion: show it as written
        put(s, '%');
        put(s, *fmt);
        break;
    }
  }
  va_end(ap);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
  Sink s = {buf, size ? size - 1 : 0, 0, 0, -1};
  format(&s, fmt, ap);
  if (size) buf[s.used] = '\0';
  return (int)s.total;
}

int snprintf(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return n;
}

int sprintf(char *buf, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, SIZE_MAX, fmt, ap);
  va_end(ap);
  return n;
}

int vdprintf(int fd, const char *fmt, va_list ap) {
  char buf[1024];
  Sink s = {buf, sizeof buf, 0, 0, fd};
  format(&s, fmt, ap);
  flush(&s);
  return (int)s.total;
}

int dprintf(int fd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vdprintf(fd, fmt, ap);
  va_end(ap);
  return n;
}

int vhprintf(int fd, const char *fmt, va_list ap) { return vdprintf(fd, fmt, ap); }

int hprintf(int fd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vdprintf(fd, fmt, ap);
  va_end(ap);
  return n;
}

int vprintf(const char *fmt, va_list ap) { return vdprintf(STDOUT_FILENO, fmt, ap); }

int printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vdprintf(STDOUT_FILENO, fmt, ap);
  va_end(ap);
  return n;
}

int putchar(int c) {
  char ch = (char)c;
  write(STDOUT_FILENO, &ch, 1);
  return (unsigned char)c;
}

int puts(const char *s) {
  // One write, so that the line cannot be split by another process's output.
  char buf[1024];
  size_t len = strlen(s);
  if (len < sizeof buf) {
    memcpy(buf, s, len);
    buf[len] = '\n';
    write(STDOUT_FILENO, buf, len + 1);
  } else {
    write(STDOUT_FILENO, s, len);
    write(STDOUT_FILENO, "\n", 1);
  }
  return 0;
}

void hex_dump(uintptr_t ofs, const void *buf, size_t size, bool ascii) {
  enum { kPerLine = 16 };
  const unsigned char *bytes = buf;
  // Lines are aligned to kPerLine in the numbering that starts at `ofs`: the first line may
  // begin with blanks before the buffer's first byte, the last end with blanks after it.
  size_t skip = ofs % kPerLine;
  while (size > 0) {
    size_t n = size < kPerLine - skip ? size : kPerLine - skip;
    char line[128];
    size_t len = (size_t)snprintf(line, sizeof line, "%016llx  ",
                                  (unsigned long long)(ofs - skip));
    for (size_t i = 0; i < kPerLine; i++) {
      char sep = i == kPerLine / 2 - 1 ? '-' : ' ';
      if (i < skip || i >= skip + n) {
        len += (size_t)snprintf(line + len, sizeof line - len, "  %c", sep);
      } else {
        len += (size_t)snprintf(line + len, sizeof line - len, "%02x%c", bytes[i - skip], sep);
      }
    }
    if (ascii) {
      line[len++] = '|';
      for (size_t i = 0; i < kPerLine; i++) {
        unsigned char c = i < skip || i >= skip + n ? ' ' : bytes[i - skip];
        line[len++] = c >= 32 && c < 127 ? (char)c : '.';
      }
      line[len++] = '|';
    }
    line[len++] = '\n';
    write(STDOUT_FILENO, line, len);
    ofs += n;
    bytes += n;
    size -= n;
    skip = 0;
  }
}
