// errno.h: the error numbers of the KeOS ABI. A failing system call returns the negated
// number (for example -EINVAL); any result in (-256, 0) is an error.
#ifndef KEOS_ERRNO_H
#define KEOS_ERRNO_H

#define EPERM 1
#define ENOENT 2
#define EIO 5
#define ENOEXEC 8
#define EBADF 9
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENOTDIR 20
#define EISDIR 21
#define EINVAL 22
#define EMFILE 24
#define ENOSPC 28
#define EPIPE 32
#define ENAMETOOLONG 36
#define ENOSYS 38

// Whether a system call's result is an error code rather than a value.
#define IS_ERR(result) ((long)(result) < 0 && (long)(result) > -256)

#endif
