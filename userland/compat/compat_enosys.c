// The system calls of the later KeOS projects are declared; this kernel answers ENOSYS
// (-38) to each, and exit_group still ends the program with its status.
#include <syscall.h>
#include <thread.h>
#include <stdio.h>

static void *worker(void *arg) { return arg; }

int main(int argc, char *argv[]) {
    struct stat st;
    struct dirent entries[2];
    char stack[64];
    int ret;

    printf("thread_create %d\n", thread_create("worker", stack + 64, worker, NULL));
    printf("thread_join %d\n", thread_join(1, &ret));
    printf("create %d\n", create("new_file", 16));
    printf("mkdir %d\n", mkdir("dir"));
    printf("unlink %d\n", unlink("hello"));
    printf("chdir %d\n", chdir("/"));
    printf("readdir %ld\n", (long)readdir(3, entries, 2));
    printf("stat %d\n", stat("hello", &st));
    printf("fsync %d\n", fsync(1));
    exit_group(5);
}
