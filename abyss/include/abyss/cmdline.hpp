/// \file
/// The kernel command line: space-separated words, each `key` or `key=value`.
/// Host-testable.
#pragma once

#include <cstddef>

namespace abyss {

/// True if `key` appears as a word of its own or as `key=...`.
bool cmdline_has(const char* cmdline, const char* key);
/// Copies the value of the last `key=value` word into `buf` (capacity `cap`, NUL-terminated,
/// truncated). False if there is no such word.
bool cmdline_value(const char* cmdline, const char* key, char* buf, std::size_t cap);

}  // namespace abyss
