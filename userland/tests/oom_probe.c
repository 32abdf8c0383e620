// oom_probe: small operations for the out-of-memory sweeps (keos/ktests/ktest/oom_sweep.cpp).
// Usage: oom_probe exit|mmap|pipe|fork|cow. Exits 0 when the operation worked, 12 when a
// system call failed with ENOMEM (or any error: the sweep accepts it), and 2 when the
// operation completed but its result is wrong (that fails the sweep). A page fault that
// cannot get memory ends the process with -1, which the sweep accepts too.
#include <errno.h>
#include <mman.h>
#include <string.h>
#include <syscall.h>

#define PAGE 4096
#define FAILED 12
#define WRONG 2

static char data_page[PAGE] = {1};

static int probe_mmap(void) {
  char *p = mmap((void *)0x10000000, 4 * PAGE, PROT_READ | PROT_WRITE, -1, 0);
  if (IS_ERR((long)p)) return FAILED;
  for (int i = 0; i < 4; ++i) p[i * PAGE + i] = (char)(i + 1);
  for (int i = 0; i < 4; ++i) {
    if (p[i * PAGE + i] != (char)(i + 1) || p[i * PAGE + i + 1] != 0) return WRONG;
  }
  return munmap(p) == 0 ? 0 : WRONG;
}

static int probe_pipe(void) {
  int fds[2];
  if (IS_ERR(pipe(fds))) return FAILED;
  char c = 'x', d = 0;
  long w = write(fds[1], &c, 1);
  if (IS_ERR(w)) return FAILED;
  if (w != 1 || read(fds[0], &d, 1) != 1 || d != 'x') return WRONG;
  close(fds[0]);
  close(fds[1]);
  return 0;
}

// fork, then both sides write the data page (copy-on-write) and check what they see.
// The child's outcome reaches the parent through a pipe: one byte, or nothing when it
// was killed, which the sweep accepts (the child alone ended with -1).
static int probe_fork(int cow) {
  int fds[2];
  if (IS_ERR(pipe(fds))) return FAILED;
  long pid = fork();
  if (IS_ERR(pid)) return FAILED;
  if (pid == 0) {
    close(fds[0]);
    if (cow) data_page[8] = 'c';
    char verdict = (data_page[0] == 1 && (!cow || data_page[8] == 'c')) ? 'k' : 'w';
    write(fds[1], &verdict, 1);
    exit(0);
  }
  close(fds[1]);
  if (cow) data_page[8] = 'p';
  char verdict = 0;
  long n = read(fds[0], &verdict, 1);
  if (data_page[0] != 1 || (cow && data_page[8] != 'p')) return WRONG;
  if (n == 1 && verdict != 'k') return WRONG;
  return 0;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "exit";
  if (strcmp(mode, "mmap") == 0) return probe_mmap();
  if (strcmp(mode, "pipe") == 0) return probe_pipe();
  if (strcmp(mode, "fork") == 0) return probe_fork(0);
  if (strcmp(mode, "cow") == 0) return probe_fork(1);
  return data_page[0] == 1 ? 0 : WRONG;
}
