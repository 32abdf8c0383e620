// A write to read-only data ends the program with exit code -1; the kernel goes on.
#include <stdio.h>

const int constant = 7;

int main(int argc, char *argv[]) {
    printf("writing to read-only data\n");
    *(volatile int *)&constant = 8;
    printf("not reached\n");
    return 0;
}
