// mman.h: the protections of mmap(), and the file descriptor of an anonymous mapping.
#ifndef KEOS_MMAN_H
#define KEOS_MMAN_H

#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4

// mmap(addr, len, prot, MAP_ANONYMOUS_FD, 0) maps zero-filled memory.
#define MAP_ANONYMOUS_FD (-1)

#endif
