// stdlib.h: qsort, bsearch and atoi.
#include <stdio.h>
#include <stdlib.h>

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char *argv[]) {
    int v[] = {42, -7, 19, 0, 3, 3, 1000, -50, 8};
    int n = sizeof(v) / sizeof(v[0]), i, key;
    int *hit;

    qsort(v, n, sizeof(int), cmp_int);
    for (i = 0; i < n; i++)
        printf("%d ", v[i]);
    printf("\n");
    key = 19;
    hit = bsearch(&key, v, n, sizeof(int), cmp_int);
    printf("19 at index %d\n", hit ? (int)(hit - v) : -1);
    key = 20;
    printf("20 %s\n", bsearch(&key, v, n, sizeof(int), cmp_int) ? "found" : "not found");
    printf("atoi %d\n", atoi("-1234"));
    return 0;
}
