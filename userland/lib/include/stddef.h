// stddef.h: the basic types of the user C library (freestanding; no host headers). Brings
// in stdint.h, as KeOS's does.
#ifndef KEOS_STDDEF_H
#define KEOS_STDDEF_H

#include <stdint.h>

typedef unsigned long size_t;
typedef long ssize_t;
typedef long ptrdiff_t;
typedef long off_t;
typedef int pid_t;

#define NULL ((void *)0)
#define offsetof(type, member) __builtin_offsetof(type, member)

#endif
