// PANIC with a format, in a NO_INLINE function; UNUSED and likely/unlikely compile.
#include <stdio.h>

static int UNUSED never_called(void) { return 1; }

static NO_INLINE void check(int v) {
    if (unlikely(v > 10))
        PANIC("value %d is out of range", v);
    if (likely(v >= 0))
        printf("value %d is fine\n", v);
}

int main(int argc, char *argv[]) {
    check(3);
    check(42);
    NOT_REACHED();
}
