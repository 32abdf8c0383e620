// A failed ASSERT ends the program with exit code 1 after KeOS's message.
#include <stdio.h>

int main(int argc, char *argv[]) {
    int x = 2;
    printf("before\n");
    ASSERT(x + x == 4);
    ASSERT(x + x == 5);
    printf("not reached\n");
    return 0;
}
