// argc, argv and where the kernel put them: KeOS's stack layout, printed with %llx.
#include <stdio.h>

int main(int argc, char *argv[]) {
    int i;
    printf("argc %d\n", argc);
    printf("argv at %llx\n", (uint64_t)argv);
    for (i = 0; i < argc; i++)
        printf("argv[%d] at %llx: %s\n", i, (uint64_t)argv[i], argv[i]);
    printf("argv[argc] is %s\n", argv[argc] == NULL ? "NULL" : "not NULL");
    printf("rsp at entry %llx\n", (uint64_t)argv - 8);
    return argc;
}
