// dirent.h: one entry of a directory, as readdir() reports it. This kernel has a flat root
// file system and no readdir system call (it answers ENOSYS: KeOS adds directories in a
// later project); the structure is here so that programs declaring one compile.
#ifndef KEOS_DIRENT_H
#define KEOS_DIRENT_H

// The longest name an entry holds, without its terminating NUL.
#define DIRENT_NAME_MAX 255

struct dirent {
  unsigned long d_ino;                // the entry's file number
  char d_name[DIRENT_NAME_MAX + 1];  // its name, NUL-terminated
};

#endif
