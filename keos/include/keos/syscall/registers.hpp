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

}  // namespace keos
