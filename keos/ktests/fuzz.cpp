// The system-call fuzzer (userland/tests/fuzz.c) with fixed seeds: a few thousand random
// calls that must neither panic the kernel nor break the ABI's rules, nor leak a frame
// (the harness compares the free-frame count after every process has ended). These never
// fork, so they pass on every kernel; the forking runs are project 3's
// (project3/tests/fuzz_fork.cpp). `make fuzz SEED=... ITER=...` runs long ones.
#include <ktest/user_test.hpp>

KEOS_USER_TEST(fuzz_syscalls, .program = "fuzz", .args = {"fuzz", "20240601", "4000"},
               .exit_code = 0)
KEOS_USER_TEST(fuzz_syscalls_seed2, .program = "fuzz", .args = {"fuzz", "7", "4000"},
               .exit_code = 0)
