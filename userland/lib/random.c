// getrandom: random bytes straight from the CPU's RDRAND, without a system call.
#include <stdint.h>
#include <string.h>
#include <syscall.h>

static uint64_t rdrand64(void) {
  uint64_t value;
  unsigned char ok;
  // RDRAND may report a transient failure (CF = 0): try again.
  do {
    __asm__ volatile("rdrand %0; setc %1" : "=r"(value), "=qm"(ok));
  } while (!ok);
  return value;
}

ssize_t getrandom(void *buf, size_t len, unsigned int flags) {
  (void)flags;
  unsigned char *out = buf;
  for (size_t done = 0; done < len;) {
    uint64_t value = rdrand64();
    size_t n = len - done < sizeof value ? len - done : sizeof value;
    memcpy(out + done, &value, n);
    done += n;
  }
  return (ssize_t)len;
}
