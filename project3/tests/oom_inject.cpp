// Project 3 under out-of-memory fault injection (ktest/oom_sweep.hpp): every allocation of
// a fork, and of the copy-on-write faults after it, fails once, in turn. Each point must
// end cleanly (fork returns ENOMEM, or the faulting process alone ends with -1) with every
// frame given back.
#include <keos/test.hpp>
#include <ktest/oom_sweep.hpp>

using keos::mm::fault_inject::Site;
using ktest::oom_sweep;

KEOS_TEST(fork_oom_inject_frames) { oom_sweep("fork", Site::kFrame); }
KEOS_TEST(fork_oom_inject_heap) { oom_sweep("fork", Site::kHeap); }
KEOS_TEST(cow_oom_inject_frames) { oom_sweep("cow", Site::kFrame); }
KEOS_TEST(cow_oom_inject_heap) { oom_sweep("cow", Site::kHeap); }
