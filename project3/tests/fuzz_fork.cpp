// The system-call fuzzer (userland/tests/fuzz.c) with fork among its calls: children fuzz
// too, so every copy-on-write path meets random system calls, bad pointers and exits. The
// harness requires exit 0 from every run and no frame missing after every process ended.
#include <ktest/user_test.hpp>

KEOS_USER_TEST(fuzz_fork, .program = "fuzz", .args = {"fuzz", "99", "3000", "fork"}, .exit_code = 0)
// Seed 5 with 20000 calls killed a process at random ("bad address") while the page-fault
// handler read CR2 after enabling interrupts: a preemption in between, or a move to
// another CPU, handed it another fault's address. 3 of 3 runs failed before the fix.
KEOS_USER_TEST(fuzz_fork_seed5, .program = "fuzz", .args = {"fuzz", "5", "20000", "fork"},
               .exit_code = 0)
