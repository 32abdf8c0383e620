#include <abyss/format.hpp>

#include <cstdint>

namespace abyss {
namespace {

class Writer {
 public:
  Writer(char* buf, std::size_t cap) : buf_(buf), cap_(cap) {}
  void put(char c) {
    if (len_ + 1 < cap_) buf_[len_] = c;
    ++len_;
  }
  void pad(char c, int n) {
    for (int i = 0; i < n; ++i) put(c);
  }
  std::size_t finish() {
    if (cap_ == 0) return 0;
    std::size_t end = len_ < cap_ ? len_ : cap_ - 1;
    buf_[end] = '\0';
    return end;
  }

 private:
  char* buf_;
  std::size_t cap_;
  std::size_t len_ = 0;
};

struct Spec {
  bool left = false;
  bool zero = false;
  int width = 0;
};

void emit_field(Writer& w, const Spec& spec, const char* text, int len, const char* prefix) {
  int prefix_len = 0;
  while (prefix[prefix_len] != '\0') ++prefix_len;
  int fill = spec.width - len - prefix_len;
  if (!spec.left && !spec.zero) w.pad(' ', fill);
  for (int i = 0; i < prefix_len; ++i) w.put(prefix[i]);
  if (!spec.left && spec.zero) w.pad('0', fill);
  for (int i = 0; i < len; ++i) w.put(text[i]);
  if (spec.left) w.pad(' ', fill);
}

void emit_number(Writer& w, const Spec& spec, std::uint64_t value, bool negative, int base,
                 bool upper, const char* prefix) {
  char digits[24];
  int n = 0;
  const char* alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  do {
    digits[n++] = alphabet[value % base];
    value /= base;
  } while (value != 0);
  char text[24];
  for (int i = 0; i < n; ++i) text[i] = digits[n - 1 - i];
  emit_field(w, spec, text, n, negative ? "-" : prefix);
}

}  // namespace

std::size_t vformat(char* buf, std::size_t cap, const char* fmt, std::va_list args) {
  Writer w(buf, cap);
  for (const char* p = fmt; *p != '\0'; ++p) {
    if (*p != '%') {
      w.put(*p);
      continue;
    }
    ++p;
    Spec spec;
    for (;; ++p) {
      if (*p == '-') {
        spec.left = true;
      } else if (*p == '0') {
        spec.zero = true;
      } else {
        break;
      }
    }
    if (*p == '*') {
      spec.width = va_arg(args, int);
      ++p;
    } else {
      while (*p >= '0' && *p <= '9') spec.width = spec.width * 10 + (*p++ - '0');
    }
    int longs = 0;  // 0: int, 1: long, 2: long long, -1: short, -2: char
    for (;; ++p) {
      if (*p == 'l') {
        ++longs;
      } else if (*p == 'z') {
        longs = 1;
      } else if (*p == 'h') {
        --longs;
      } else {
        break;
      }
    }
    auto get_signed = [&]() -> std::int64_t {
      if (longs >= 1) return va_arg(args, long);
      int v = va_arg(args, int);
      if (longs == -1) return static_cast<short>(v);
      if (longs <= -2) return static_cast<signed char>(v);
      return v;
    };
    auto get_unsigned = [&]() -> std::uint64_t {
      if (longs >= 1) return va_arg(args, unsigned long);
      unsigned v = va_arg(args, unsigned);
      if (longs == -1) return static_cast<unsigned short>(v);
      if (longs <= -2) return static_cast<unsigned char>(v);
      return v;
    };
    switch (*p) {
      case 'd':
      case 'i': {
        std::int64_t v = get_signed();
        std::uint64_t magnitude = v < 0 ? 0 - static_cast<std::uint64_t>(v) : v;
        emit_number(w, spec, magnitude, v < 0, 10, false, "");
        break;
      }
      case 'u':
        emit_number(w, spec, get_unsigned(), false, 10, false, "");
        break;
      case 'x':
      case 'X':
        emit_number(w, spec, get_unsigned(), false, 16, *p == 'X', "");
        break;
      case 'p':
        emit_number(w, spec, reinterpret_cast<std::uintptr_t>(va_arg(args, void*)), false, 16,
                    false, "0x");
        break;
      case 'c': {
        char c = static_cast<char>(va_arg(args, int));
        emit_field(w, spec, &c, 1, "");
        break;
      }
      case 's': {
        const char* s = va_arg(args, const char*);
        if (s == nullptr) s = "(null)";
        int len = 0;
        while (s[len] != '\0') ++len;
        emit_field(w, spec, s, len, "");
        break;
      }
      case '%':
        w.put('%');
        break;
      case '\0':
        --p;  // a lone '%' at the end: print it and stop
        w.put('%');
        break;
      default:  // unknown conversion: print it as written
        w.put('%');
        w.put(*p);
        break;
    }
  }
  return w.finish();
}

std::size_t format(char* buf, std::size_t cap, const char* fmt, ...) {
  std::va_list args;
  va_start(args, fmt);
  std::size_t n = vformat(buf, cap, fmt, args);
  va_end(args);
  return n;
}

}  // namespace abyss
