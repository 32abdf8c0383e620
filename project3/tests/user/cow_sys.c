// cow_sys: the kernel writing into a shared page. read() copies into user memory from
// ring 0; with CR0.WP set, a copy-on-write page makes the kernel fault too, and that fault
// must be resolved like a user's: the reader gets a private copy (new frame, RW back) and
// the other process keeps the original. Checked for a page of .data (filled from a file
// and from a pipe) and for a writable executable page.
#include <fcntl.h>
#include <mman.h>
#include <string.h>

#include "fork_util.h"

char buffer[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE))) = {'b'};

// read() into the shared page `page` in the child; the parent's view must not change.
static void read_into_shared(volatile char *page, int fd, const char *expect, const char *label) {
  char original = page[0];
  unsigned long frame = frame_of(page);
  int done[2];
  ASSERT(pipe(done) == 0);
  long pid = must_fork();
  if (pid == 0) {
    close(done[0]);
    ASSERT(frame_of(page) == frame);
    ASSERT((pte_of((const void *)page) & PTE_RW) == 0);
    long n = (long)strlen(expect);
    ASSERT(read(fd, (void *)page, (size_t)n) == n);  // the kernel writes the page
    ASSERT(memcmp((const void *)page, expect, (size_t)n) == 0);
    ASSERT(frame_of(page) != frame);
    ASSERT(pte_of((const void *)page) & PTE_RW);
    printf("%s: child ok\n", label);
    exit(0);
  }
  close(done[1]);
  drain_until_closed(done[0]);
  ASSERT(page[0] == original);
  ASSERT(frame_of(page) == frame);
  printf("%s: parent ok\n", label);
}

int main(void) {
  buffer[0] = 'B';
  int fd = open("hello", O_RDONLY);
  ASSERT(fd >= 3);
  read_into_shared(buffer, fd, "Welcome to KeOS", "read from a file into .data");

  int p[2];
  ASSERT(pipe(p) == 0);
  ASSERT(write(p[1], "through the pipe", 16) == 16);
  read_into_shared(buffer, p[0], "through the pipe", "read from a pipe into .data");

  volatile char *code = (volatile char *)0x20000000;
  ASSERT(mmap((void *)code, PAGE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC, -1, 0) ==
         (void *)code);
  code[0] = (char)0xc3;
  ASSERT(seek(fd, 0, SEEK_SET) == 0);
  read_into_shared(code, fd, "Welcome", "read into an executable page");
  return 0;
}
