/// \file
/// Registers: the user registers saved on every entry to the kernel (system call, trap or
/// interrupt from ring 3); the same layout as abyss::TrapFrame. A system call's number is
/// in rax and its arguments in rdi, rsi, rdx, r10, r8, r9; its result goes back in rax.
/// Every other register comes back as it was (rcx and r11 are the `syscall` instruction's).
#pragma once

#include <cstdint>

#include <abyss/trap.hpp>
#include <keos/addressing.hpp>

namespace keos {

class Task;

/// The saved user registers; see abyss::TrapFrame for the fields.
using Registers = abyss::TrapFrame;

/// Fresh user registers: RIP = `entry`, RSP = `stack`, RFLAGS = 0x202 (interrupts on),
/// user code and stack segments, every general-purpose register 0.
Registers user_registers(Va entry, Va stack);

/// Enters ring 3 with `regs` on the running thread (which must have a task). Returns only
/// through the task: by a system call that ends the thread, or a fault that kills it.
[[noreturn]] void launch(const Registers& regs);

/// Sets up the `syscall` instruction (its MSRs) on the calling CPU; every CPU, at boot.
void init_user_mode_this_cpu();
/// Installs the ring-3 exception path (the user-exception hook); once, at boot.
void init_user_mode();

/// When a user page-fault observer is called: before the task handles the fault, or after.
enum class FaultPhase { kBefore, kAfter };
/// Sees a ring-3 page fault of `task` (error code, address) before and after the task
/// handles it; `resolved` is the outcome (after), true before. Runs on the faulting thread,
/// interrupts on.
using UserFaultObserver = void (*)(Task& task, std::uint64_t error_code, Va address,
                                   FaultPhase phase, bool resolved);
/// Replaces the ring-3 exception path with one that calls `observer` around every page
/// fault (snapshots, keos/process/memmap.hpp). Once, at boot, after init_user_mode();
/// without it the fault path has no observer test at all.
void observe_user_faults(UserFaultObserver observer);

}  // namespace keos
