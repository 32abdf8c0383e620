// hprintf to a descriptor, and hex_dump.
#include <stdio.h>
#include <syscall.h>

int main(int argc, char *argv[]) {
    char bytes[20] = "Hello, KeOS!\n";
    int n;

    n = hprintf(1, "hprintf to fd %d: %s\n", 1, "ok");
    printf("hprintf returned %d\n", n);
    hprintf(2, "this goes to standard error\n");
    hex_dump(0x1000, bytes, sizeof(bytes), true);
    hex_dump(0x2008, bytes, 5, false);
    return 0;
}
