// string.h: the functions KeOS's library has beyond the common ones.
#include <stdio.h>
#include <string.h>

int main(int argc, char *argv[]) {
    char buf[16] = "abc";
    char line[] = "  mmap  munmap,fork ";
    char *save, *tok;

    printf("strspn %d\n", (int)strspn("aabbcd", "ab"));
    printf("strcspn %d\n", (int)strcspn("hello, world", ",!"));
    printf("strpbrk %s\n", strpbrk("keos-c++", "-+"));
    printf("strpbrk none %s\n", strpbrk("keos", "xyz") == NULL ? "NULL" : "found");
    printf("strlcat %d %s\n", (int)strlcat(buf, "defghijklmnopqrstu", sizeof(buf)), buf);
    printf("strlcpy %d\n", (int)strlcpy(buf, "xy", sizeof(buf)));
    for (tok = strtok_r(line, " ,", &save); tok != NULL; tok = strtok_r(NULL, " ,", &save))
        printf("token [%s]\n", tok);
    printf("strnlen %d, strcmp %d\n", (int)strnlen("abcdef", 4), strcmp("a", "a"));
    return 0;
}
