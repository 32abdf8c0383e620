// The C and C++ runtime pieces a freestanding kernel must supply itself: the memory and
// string functions the compiler may call, and the hooks the C++ ABI expects.
#include <cstddef>
#include <cstdint>

#include <abyss/panic.hpp>

// The loops below must stay loops: stop GCC from turning them back into memcpy calls.
#define ABYSS_NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

extern "C" {

ABYSS_NO_LIBCALL void* memcpy(void* dst, const void* src, std::size_t n) {
  auto* d = static_cast<unsigned char*>(dst);
  const auto* s = static_cast<const unsigned char*>(src);
  // 8-byte words when both pointers allow it (under emulation `rep movs` is very slow).
  if (((reinterpret_cast<std::uintptr_t>(d) | reinterpret_cast<std::uintptr_t>(s)) & 7) == 0) {
    for (; n >= 8; n -= 8, d += 8, s += 8) {
      *reinterpret_cast<std::uint64_t*>(d) = *reinterpret_cast<const std::uint64_t*>(s);
    }
  }
  for (; n != 0; --n) *d++ = *s++;
  return dst;
}

ABYSS_NO_LIBCALL void* memmove(void* dst, const void* src, std::size_t n) {
  auto* d = static_cast<unsigned char*>(dst);
  const auto* s = static_cast<const unsigned char*>(src);
  if (d <= s || d >= s + n) return memcpy(dst, src, n);
  while (n != 0) {
    --n;
    d[n] = s[n];
  }
  return dst;
}

ABYSS_NO_LIBCALL void* memset(void* dst, int c, std::size_t n) {
  auto* d = static_cast<unsigned char*>(dst);
  auto byte = static_cast<unsigned char>(c);
  if ((reinterpret_cast<std::uintptr_t>(d) & 7) == 0) {
    std::uint64_t word = byte * 0x0101010101010101ull;
    for (; n >= 8; n -= 8, d += 8) *reinterpret_cast<std::uint64_t*>(d) = word;
  }
  for (; n != 0; --n) *d++ = byte;
  return dst;
}

int memcmp(const void* a, const void* b, std::size_t n) {
  const auto* x = static_cast<const unsigned char*>(a);
  const auto* y = static_cast<const unsigned char*>(b);
  for (std::size_t i = 0; i < n; ++i) {
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return 0;
}

const void* memchr(const void* s, int c, std::size_t n) {
  const auto* p = static_cast<const unsigned char*>(s);
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] == static_cast<unsigned char>(c)) return p + i;
  }
  return nullptr;
}

std::size_t strlen(const char* s) {
  std::size_t n = 0;
  while (s[n] != '\0') ++n;
  return n;
}

int strncmp(const char* a, const char* b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (x != y) return x < y ? -1 : 1;
    if (x == '\0') return 0;
  }
  return 0;
}

int strcmp(const char* a, const char* b) { return strncmp(a, b, static_cast<std::size_t>(-1)); }

// C++ ABI hooks.
void* __dso_handle = nullptr;
int __cxa_atexit(void (*)(void*), void*, void*) { return 0; }  // the kernel never exits
void __cxa_pure_virtual() { abyss::panic("pure virtual function called"); }

}  // extern "C"
