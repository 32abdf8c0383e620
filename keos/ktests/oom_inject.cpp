// Out-of-memory fault injection over the provided kernel's paths (ktest/oom_sweep.hpp):
// every allocation of loading an ELF file, of mmap and its first touch, and of pipe
// creation fails once, in turn. fork's and copy-on-write's sweeps are project 3's
// (project3/tests/oom_inject.cpp).
#include <keos/test.hpp>
#include <ktest/oom_sweep.hpp>

using keos::mm::fault_inject::Site;
using ktest::oom_sweep;

// ELF loading and process set-up (the program only exits).
KEOS_TEST(oom_inject_elf_frames) { oom_sweep("exit", Site::kFrame); }
KEOS_TEST(oom_inject_elf_heap) { oom_sweep("exit", Site::kHeap); }
// mmap and the first touch of its pages.
KEOS_TEST(oom_inject_mmap_frames) { oom_sweep("mmap", Site::kFrame); }
KEOS_TEST(oom_inject_mmap_heap) { oom_sweep("mmap", Site::kHeap); }
// Pipe creation.
KEOS_TEST(oom_inject_pipe_frames) { oom_sweep("pipe", Site::kFrame); }
KEOS_TEST(oom_inject_pipe_heap) { oom_sweep("pipe", Site::kHeap); }
