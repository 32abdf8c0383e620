/// \file
/// The C memory and string functions the kernel provides (abyss/src/cxxrt.cpp) and the
/// compiler may call on its own. Host builds (unit tests) get the C library's.
#pragma once

#include <cstddef>

#if __STDC_HOSTED__
#include <cstring>
#else
extern "C" {
/// Copies `n` bytes from `src` to `dst` (which must not overlap); returns `dst`.
void* memcpy(void* dst, const void* src, std::size_t n);
/// Copies `n` bytes from `src` to `dst`, which may overlap; returns `dst`.
void* memmove(void* dst, const void* src, std::size_t n);
/// Sets `n` bytes at `dst` to the byte `c`; returns `dst`.
void* memset(void* dst, int c, std::size_t n);
/// Compares `n` bytes as unsigned chars: negative, 0 or positive as `a` sorts before,
/// equal to or after `b`.
int memcmp(const void* a, const void* b, std::size_t n);
/// The first of the `n` bytes at `s` equal to `c`, or nullptr.
const void* memchr(const void* s, int c, std::size_t n);
/// The length of the NUL-terminated string `s`.
std::size_t strlen(const char* s);
/// Compares two NUL-terminated strings, like memcmp().
int strcmp(const char* a, const char* b);
/// Compares at most `n` characters of two strings, like strcmp().
int strncmp(const char* a, const char* b, std::size_t n);
}
#endif
