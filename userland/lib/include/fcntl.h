// fcntl.h: the flags of open() and the origins of seek(). Brings in stdint.h, as KeOS's
// does.
#ifndef KEOS_FCNTL_H
#define KEOS_FCNTL_H

#include <stdint.h>

#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

#endif
