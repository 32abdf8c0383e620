// round.h, as course code uses it for page arithmetic.
#include <round.h>
#include <stdio.h>

int main(int argc, char *argv[]) {
    uint64_t va = 0x401234;

    printf("ROUND_UP %llx\n", (uint64_t)ROUND_UP(va, 0x1000));
    printf("ROUND_DOWN %llx\n", (uint64_t)ROUND_DOWN(va, 0x1000));
    printf("DIV_ROUND_UP %d %d %d\n", DIV_ROUND_UP(0, 4096), DIV_ROUND_UP(4096, 4096),
           DIV_ROUND_UP(4097, 4096));
    printf("aligned stays %d\n", ROUND_UP(8192, 4096));
    return 0;
}
