// The system-call fuzzer (userland/tests/fuzz.c) with fixed seeds: a few thousand random
// calls that must neither panic the kernel nor break the ABI's rules, nor leak a frame
// (the harness compares the free-frame count after every process has ended).
// `make fuzz SEED=... ITER=...` runs long ones.
#include "support/user_test.hpp"

// Never forks: passes on every kernel.
KEOS_USER_TEST(fuzz_syscalls, .program = "fuzz", .args = {"fuzz", "20240601", "4000"},
               .exit_code = 0)
KEOS_USER_TEST(fuzz_syscalls_seed2, .program = "fuzz", .args = {"fuzz", "7", "4000"},
               .exit_code = 0)

// Forks (children fuzz too): needs fork and copy-on-write, i.e. project 3 done.
KEOS_USER_TEST(fuzz_fork, .program = "fuzz", .args = {"fuzz", "99", "3000", "fork"},
               .exit_code = 0)
// Seed 5 with 20000 calls killed a process at random ("bad address") while the page-fault
// handler read CR2 after enabling interrupts: a preemption in between, or a move to
// another CPU, handed it another fault's address. 3 of 3 runs failed before the fix.
KEOS_USER_TEST(fuzz_fork_seed5, .program = "fuzz", .args = {"fuzz", "5", "20000", "fork"},
               .exit_code = 0)
