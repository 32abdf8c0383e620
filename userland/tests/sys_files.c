// sys_files: the files of the root file system the tests rely on: hello, hello2 and
// hello3 (140 identical bytes, the 32-byte prefix, no trailing newline) and every test
// program under its own name (this one included: a static x86-64 executable whose
// entry point is this program's _start).
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <syscall.h>

#include "check.h"

#define SIZE 140
#define PREFIX "Welcome to KeOS Project!\n\nEven t"

void _start(int argc, char **argv);

int main(int argc, char **argv) {
  static const char *const kNames[] = {"hello", "hello2", "hello3"};
  char first[SIZE], buf[SIZE + 1];
  for (int i = 0; i < 3; i++) {
    int fd = open(kNames[i], O_RDONLY);
    CHECK_EQ(fd, 3);
    CHECK_EQ(seek(fd, 0, SEEK_END), SIZE);
    CHECK_EQ(seek(fd, 0, SEEK_SET), 0);
    CHECK_EQ(read(fd, buf, sizeof buf), SIZE);
    CHECK(memcmp(buf, PREFIX, 32) == 0);
    CHECK(buf[SIZE - 1] != '\n');
    if (i == 0) memcpy(first, buf, SIZE);
    CHECK(memcmp(buf, first, SIZE) == 0);
    CHECK_EQ(close(fd), 0);
  }

  // This program, by the name it was started with.
  CHECK_EQ(argc, 1);
  CHECK(strcmp(argv[0], "sys_files") == 0);
  int self = open(argv[0], O_RDONLY);
  CHECK_EQ(self, 3);
  unsigned char ehdr[64];
  CHECK_EQ(read(self, ehdr, sizeof ehdr), sizeof ehdr);
  CHECK(memcmp(ehdr, "\177ELF\2\1", 6) == 0);  // 64-bit, little endian
  uint16_t type, machine;
  uint64_t entry;
  memcpy(&type, ehdr + 16, 2);
  memcpy(&machine, ehdr + 18, 2);
  memcpy(&entry, ehdr + 24, 8);
  CHECK_EQ(type, 2);        // ET_EXEC
  CHECK_EQ(machine, 0x3e);  // x86-64
  CHECK_EQ(entry, (uintptr_t)_start);
  CHECK(seek(self, 0, SEEK_END) > 4096);
  CHECK_EQ(close(self), 0);

  // Other test programs are there too.
  static const char *const kPrograms[] = {"sys_args", "sys_open", "sys_read"};
  for (int i = 0; i < 3; i++) {
    int fd = open(kPrograms[i], O_RDONLY);
    CHECK_EQ(fd, 3);
    CHECK_EQ(read(fd, ehdr, 4), 4);
    CHECK(memcmp(ehdr, "\177ELF", 4) == 0);
    CHECK_EQ(close(fd), 0);
  }
  printf("sys_files: ok\n");
  return 0;
}
