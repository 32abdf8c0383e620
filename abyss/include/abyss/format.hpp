/// \file
/// A small printf-style formatter for the kernel (no floating point). Supported:
/// %d %i %u %x %X %p %s %c %% with the length modifiers l, ll, z and h, hh, flags '-' and '0',
/// and a field width (number or '*'). Output is truncated to the buffer and always
/// NUL-terminated. Host-testable: it depends on nothing but the compiler.
#pragma once

#include <cstdarg>
#include <cstddef>

namespace abyss {

/// Formats into `buf` (capacity `cap` including the NUL); returns the length written.
std::size_t vformat(char* buf, std::size_t cap, const char* fmt, std::va_list args);
/// Formats into `buf` (capacity `cap` including the NUL); returns the length written.
std::size_t format(char* buf, std::size_t cap, const char* fmt, ...)
    __attribute__((format(printf, 3, 4)));

}  // namespace abyss
