/// \file
/// The local APIC of each CPU: interrupt acknowledgement, inter-processor interrupts and the
/// per-CPU timer. x2APIC mode (MSR access) is used when the CPU offers it; otherwise the
/// xAPIC registers are reached through MMIO at the APIC base (0xfee00000 by default).
/// The legacy 8259 PICs are remapped out of the exception range and masked.
#pragma once

#include <cstdint>

#include <abyss/addressing.hpp>

namespace abyss::apic {

/// On the bootstrap processor: picks the mode, masks the 8259s, enables this LAPIC.
void init_bsp(Pa mmio_base);
/// On an application processor: enables its LAPIC in the mode the BSP picked.
void init_ap();

bool x2apic_mode();
/// This CPU's APIC id.
std::uint32_t id();
/// Acknowledges the interrupt being serviced.
void eoi();

enum class Delivery : std::uint32_t { kFixed = 0, kNmi = 4, kInit = 5, kStartup = 6 };
enum class Shorthand : std::uint32_t { kNone = 0, kSelf = 1, kAll = 2, kAllButSelf = 3 };

/// Sends an inter-processor interrupt and waits until the local APIC accepted it.
void send_ipi(std::uint32_t dest_apic_id, Delivery delivery, std::uint8_t vector,
              Shorthand shorthand = Shorthand::kNone);

// Timer (divide by 16).
void timer_set_divide_16();
void timer_start_periodic(std::uint8_t vector, std::uint32_t initial_count);
void timer_start_one_shot_masked(std::uint32_t initial_count);
std::uint32_t timer_current_count();
void timer_stop();

}  // namespace abyss::apic
