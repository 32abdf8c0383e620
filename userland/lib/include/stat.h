// stat.h: what stat() reports about a file. This kernel has no stat system call (it answers
// ENOSYS: KeOS adds it in a later project), so the structure is here for programs that
// declare one; its fields are this library's choice. Brings in stdint.h.
#ifndef KEOS_STAT_H
#define KEOS_STAT_H

#include <stdint.h>

// The kinds of file in st_type.
#define S_TYPE_FILE 1
#define S_TYPE_DIR 2

struct stat {
  uint64_t st_ino;   // the file's number in its file system
  uint64_t st_size;  // its length in bytes
  uint32_t st_type;  // S_TYPE_FILE or S_TYPE_DIR
};

#endif
