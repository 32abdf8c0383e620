// sys_memmap: the test-only snapshot call (memmap_snapshot, SYS_MEMMAP_SNAPSHOT) checks its
// argument. In an ordinary boot every call is -ENOSYS; in a boot with snapshots on (the
// kernel command line's `memmap`, as `make memmap` starts it) a good label or none gives
// 0, and a bad pointer, a kernel address or an over-long label an error, never a crash.
#include <string.h>

#include "check.h"

static char long_label[100];

int main(void) {
  long on = memmap_snapshot("sys_memmap:start");
  if (on == -ENOSYS) {
    CHECK_EQ(memmap_snapshot(NULL), -ENOSYS);
    CHECK_EQ(memmap_snapshot((const char *)1), -ENOSYS);
    printf("snapshots off\n");
    return 0;
  }
  CHECK_EQ(on, 0);
  CHECK_EQ(memmap_snapshot(NULL), 0);
  // Characters outside the label alphabet arrive as '_' (the host sees no markup).
  CHECK_EQ(memmap_snapshot("<b>x</b> \"q\" & \\n"), 0);
  CHECK_EQ(memmap_snapshot((const char *)1), -EFAULT);
  CHECK_EQ(memmap_snapshot((const char *)0xffffff0000100000ul), -EFAULT);
  memset(long_label, 'a', sizeof long_label - 1);
  CHECK_EQ(memmap_snapshot(long_label), -ENAMETOOLONG);
  printf("snapshots on\n");
  return 0;
}
