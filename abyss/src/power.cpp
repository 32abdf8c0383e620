#include <abyss/power.hpp>

#include <abyss/boot.hpp>
#include <abyss/cpu.hpp>
#include <abyss/fw_cfg.hpp>

namespace abyss {

void power_off(ExitCode code) {
  cpu::disable_interrupts();
  // QEMU: the isa-debug-exit device ends QEMU with (code << 1) | 1. The host always adds it;
  // only write the port when the machine is QEMU.
  if (fw_cfg::present()) cpu::outb(0xf4, static_cast<std::uint8_t>(code));
  // ACPI S5 (soft off).
  const AcpiInfo& acpi = acpi_info();
  if (acpi.s5_found && acpi.pm1a_control != 0) {
    cpu::outw(acpi.pm1a_control, static_cast<std::uint16_t>((acpi.slp_typ_a << 10) | (1 << 13)));
    if (acpi.pm1b_control != 0) {
      cpu::outw(acpi.pm1b_control, static_cast<std::uint16_t>((acpi.slp_typ_b << 10) | (1 << 13)));
    }
  }
  cpu::halt_forever();
}

}  // namespace abyss
