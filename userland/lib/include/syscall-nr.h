// syscall-nr.h: the system-call numbers of the KeOS ABI (in RAX at `syscall`).
#ifndef KEOS_SYSCALL_NR_H
#define KEOS_SYSCALL_NR_H

#define SYS_EXIT 0
#define SYS_OPEN 1
#define SYS_READ 2
#define SYS_WRITE 3
#define SYS_SEEK 4
#define SYS_TELL 5
#define SYS_CLOSE 6
#define SYS_PIPE 7
#define SYS_MMAP 8
#define SYS_MUNMAP 9
#define SYS_FORK 10
#define SYS_GETPHYS 0x81
// Test only, not in KeOS: a memory-map snapshot (memmap_snapshot() in syscall.h).
#define SYS_MEMMAP_SNAPSHOT 0x82

#endif
