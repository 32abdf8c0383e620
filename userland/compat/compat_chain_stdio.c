// Only stdio.h: int64_t, uint64_t, bool, size_t, va_list and ASSERT all come with it.
#include <stdio.h>

static int sum(int n, ...) {
    va_list ap;
    int i, s = 0;
    va_start(ap, n);
    for (i = 0; i < n; i++)
        s += va_arg(ap, int);
    va_end(ap);
    return s;
}

int main(int argc, char *argv[]) {
    int64_t big = -((int64_t)1 << 40);
    uint64_t mask = 0xffffffffffffffffULL;
    bool yes = true;
    size_t len = sizeof(big);

    ASSERT(len == 8);
    printf("%lld %llx %d %d\n", big, mask, yes, sum(3, 1, 2, 3));
    return 0;
}
