// getrandom fills the buffer and returns its length.
#include <syscall.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char *argv[]) {
    uint8_t a[64], b[64];

    memset(a, 0, sizeof(a));
    memset(b, 0, sizeof(b));
    printf("getrandom returned %ld\n", (long)getrandom(a, sizeof(a), 0));
    getrandom(b, sizeof(b), 0);
    printf("two draws differ: %s\n", memcmp(a, b, sizeof(a)) != 0 ? "yes" : "no");
    return 0;
}
