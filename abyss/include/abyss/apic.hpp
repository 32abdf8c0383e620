/// \file
/// The local APIC of each CPU: interrupt acknowledgement, inter-processor interrupts and the
/// per-CPU timer. x2APIC mode (MSR access) is used when the CPU offers it; otherwise the
/// xAPIC registers are reached through MMIO at the APIC base (0xfee00000 by default).
/// The legacy 8259 PICs are remapped out of the exception range and masked.
#pragma once

#include <cstdint>

#include <abyss/addressing.hpp>

/// The local APIC of the running CPU.
namespace abyss::apic {

/// On the bootstrap processor: picks the mode, masks the 8259s, enables this LAPIC.
void init_bsp(Pa mmio_base);
/// On an application processor: enables its LAPIC in the mode the BSP picked.
void init_ap();

/// True if the local APICs run in x2APIC mode (MSR access) rather than xAPIC (MMIO).
bool x2apic_mode();
/// This CPU's APIC id.
std::uint32_t id();
/// Acknowledges the interrupt being serviced.
void eoi();

/// How an inter-processor interrupt is delivered (the ICR's delivery-mode field).
enum class Delivery : std::uint32_t {
  kFixed = 0,    ///< an ordinary interrupt on the given vector
  kNmi = 4,      ///< a non-maskable interrupt (the vector is ignored)
  kInit = 5,     ///< INIT: puts the target into its wait-for-startup state
  kStartup = 6   ///< STARTUP (SIPI): starts the target in real mode at vector * 4096
};
/// Which CPUs an inter-processor interrupt goes to, besides an explicit destination.
enum class Shorthand : std::uint32_t {
  kNone = 0,        ///< the CPU named by the destination APIC id
  kSelf = 1,        ///< this CPU
  kAll = 2,         ///< every CPU, this one included
  kAllButSelf = 3   ///< every CPU but this one
};

/// Sends an inter-processor interrupt and waits until the local APIC accepted it.
void send_ipi(std::uint32_t dest_apic_id, Delivery delivery, std::uint8_t vector,
              Shorthand shorthand = Shorthand::kNone);

/// Makes this CPU's LAPIC timer count at the bus clock divided by 16 (the divisor every
/// count below assumes).
void timer_set_divide_16();
/// Starts this CPU's timer in periodic mode: interrupt `vector` every `initial_count`
/// decrements.
void timer_start_periodic(std::uint8_t vector, std::uint32_t initial_count);
/// Starts this CPU's timer counting down once from `initial_count` without raising an
/// interrupt (for calibration: read timer_current_count()).
void timer_start_one_shot_masked(std::uint32_t initial_count);
/// The timer's current count (it decrements towards 0).
std::uint32_t timer_current_count();
/// Stops this CPU's timer and masks its interrupt.
void timer_stop();

}  // namespace abyss::apic
