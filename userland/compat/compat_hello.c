// The smallest course program: main's parameters unused, one printf.
#include <stdio.h>

int main(int argc, char *argv[]) {
    printf("Hello, KeOS!\n");
    return 0;
}
