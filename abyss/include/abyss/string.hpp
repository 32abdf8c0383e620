/// \file
/// The C memory and string functions the kernel provides (abyss/src/cxxrt.cpp) and the
/// compiler may call on its own. Host builds (unit tests) get the C library's.
#pragma once

#include <cstddef>

#if __STDC_HOSTED__
#include <cstring>
#else
extern "C" {
void* memcpy(void* dst, const void* src, std::size_t n);
void* memmove(void* dst, const void* src, std::size_t n);
void* memset(void* dst, int c, std::size_t n);
int memcmp(const void* a, const void* b, std::size_t n);
const void* memchr(const void* s, int c, std::size_t n);
std::size_t strlen(const char* s);
int strcmp(const char* a, const char* b);
int strncmp(const char* a, const char* b, std::size_t n);
}
#endif
