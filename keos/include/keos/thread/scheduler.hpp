/// \file
/// Starting the scheduler at boot (keos/src/main.cpp). The bootstrap CPU's boot context
/// becomes CPU 0's idle thread, each application processor's its own; from then on every
/// CPU picks runnable threads from the shared run queue and halts when there are none.
/// The rest of the scheduler is private to keos/src/thread.
#pragma once

#include <cstdint>

#include <keos/result.hpp>

namespace keos::sched {

/// Maps the pool of kernel stacks that new threads take theirs from (once, at boot, after
/// kernel_vm::init); kNoMemory.
Result<void> init_stacks();

/// The BSP's boot context becomes CPU 0's idle thread; starts the reaper. Once, first.
void init_bsp(std::uint64_t boot_stack_top);
/// An AP's boot context (on the stack whose top is `boot_stack_top`) becomes its idle
/// thread; runs the idle loop.
[[noreturn]] void run_ap(std::uint64_t boot_stack_top);
/// Waits until every online CPU runs its idle thread (so nothing more is allocated for
/// them later, e.g. during a test that counts frames).
void wait_until_all_cpus_ready();
/// The idle loop of the calling CPU's idle thread.
[[noreturn]] void idle_loop();

}  // namespace keos::sched
