/// \file
/// Multiprocessor start-up and inter-processor interrupts.
///
/// start_aps() starts every application processor listed in the MADT, one at a time, with
/// INIT-SIPI-SIPI through the real-mode trampoline at physical 0x8000. Each AP sets up its
/// GS, GDT/TSS, IDT, control registers and local APIC, reports online and waits. When all are
/// up, the BSP removes the boot identity map, the APs reload CR3, start their timers and
/// enter `ap_main`. CPU ids are dense: 0 is the BSP, then the APs in MADT order.
#pragma once

#include <cstddef>
#include <cstdint>

#include <abyss/trap.hpp>

/// Starting the application processors.
namespace abyss::smp {

/// Returns `bytes` of zeroed, page-aligned memory that is never freed, or nullptr.
using StackAllocator = void* (*)(std::size_t bytes);
/// What an AP runs once it is fully set up, with interrupts off; must not return.
using ApMain = void (*)();

/// The size of the boot stack start_aps() allocates for each AP.
inline constexpr std::size_t kKernelStackSize = 32 * 1024;

/// Starts all APs; returns the number of online CPUs (including the BSP). Panics if a CPU
/// listed by the firmware does not come up.
std::uint32_t start_aps(StackAllocator alloc, ApMain ap_main);

}  // namespace abyss::smp

namespace abyss {

/// Sends interrupt `vector` to CPU `cpu_id` (which may be this CPU).
void send_ipi(std::uint32_t cpu_id, Vector vector);
/// Sends interrupt `vector` to every online CPU except this one.
void send_ipi_all_but_self(Vector vector);

}  // namespace abyss
