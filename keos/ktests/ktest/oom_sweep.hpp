// Out-of-memory fault-injection sweeps (keos/mm/fault_inject.hpp) over a user program:
// userland/tests/oom_probe.c runs once per allocation it makes, with exactly that
// allocation failing -- every frame allocation in a frame sweep, every heap allocation in
// a heap sweep -- from loading its ELF file to its last system call. For every point the
// sweep requires: no panic, a clean outcome (the program could not start, a system call
// failed, or the process was ended with -1), every frame back, and a normal run right
// afterwards that succeeds (the failure left nothing broken behind).
#pragma once

#include <keos/mm/fault_inject.hpp>

namespace ktest {

/// Sweeps the failing allocation at `site` over every allocation of `oom_probe MODE`
/// (MODE: exit, mmap, pipe, fork or cow); records a failure at the first unclean point and
/// logs how many injection points it covered.
void oom_sweep(const char* mode, keos::mm::fault_inject::Site site);

}  // namespace ktest
