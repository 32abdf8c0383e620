/// \file
/// Time: the TSC and the local-APIC timer, both calibrated once against the PIT (channel 2,
/// 10 ms) on the bootstrap processor. Every CPU then runs its LAPIC timer periodically at
/// kTimerHz; each tick counts in the CPU's record and calls the registered tick hook (the
/// scheduler's, once there is one).
#pragma once

#include <cstdint>

#include <abyss/trap.hpp>

/// Clocks and the periodic timer.
namespace abyss::time {

/// Timer interrupts per second on every CPU.
inline constexpr std::uint32_t kTimerHz = 100;

/// Measures the TSC and LAPIC-timer rates (BSP, interrupts off, LAPIC enabled).
void calibrate();
/// TSC increments per second (after calibrate()).
std::uint64_t tsc_hz();
/// LAPIC-timer decrements per second at divide-by-16.
std::uint64_t lapic_timer_hz();

/// Nanoseconds since power-on according to the TSC.
std::uint64_t now_ns();
/// Spins for at least `us` microseconds.
void delay_us(std::uint64_t us);

/// Starts this CPU's periodic timer.
void start_timer_this_cpu();

/// A function called on every timer tick with the interrupted registers, interrupts off.
using TickHook = void (*)(TrapFrame& frame);
/// Installs the function every timer tick calls (after counting it), on every CPU.
void set_tick_hook(TickHook hook);

}  // namespace abyss::time
