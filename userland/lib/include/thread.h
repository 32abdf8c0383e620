// thread.h: threads of one process (a later KeOS project). This kernel runs one thread per
// process and answers ENOSYS to these calls; they are declared so that programs written
// for the later projects compile.
#ifndef KEOS_THREAD_H
#define KEOS_THREAD_H

#include <stddef.h>

// Starts `fn(arg)` in a new thread named `name` on the stack `stack` (its top); returns the
// new thread's id, or an error (here always -ENOSYS).
int thread_create(const char *name, void *stack, void *(*fn)(void *), void *arg);
// Waits for thread `tid` to end and stores its exit code in *retval; returns 0, or an
// error (here always -ENOSYS).
int thread_join(int tid, int *retval);
// Ends every thread of the process with `status`.
__attribute__((noreturn)) void exit_group(int status);

#endif
