/// \file
/// Boot: what the bootstrap processor learnt from the boot loader and the firmware, and the
/// hand-over to the kernel layer.
///
/// The order on the BSP: per-CPU record and GS, serial console, C++ constructors, multiboot2
/// information, command line (GRUB's plus QEMU's fw_cfg file `opt/keos/cmdline`), GDT/TSS
/// and IDT, control registers, direct map of all RAM, ACPI, local APIC, timer calibration;
/// then kernel_main(), which sets up memory and calls smp::start_aps().
#pragma once

#include <abyss/acpi.hpp>
#include <abyss/addressing.hpp>
#include <abyss/multiboot2.hpp>

/// The x86-64 layer: boot, CPU tables, traps, interrupts, APIC, SMP, time, console and
/// panic. It knows nothing of the kernel layer (keos) and reaches it only through hooks
/// and kernel_main().
namespace abyss {

/// What the boot loader passed (memory map, modules, command line), parsed at boot.
const BootInfo& boot_info();
/// What the ACPI tables say about the CPUs and power-off, parsed at boot.
const AcpiInfo& acpi_info();
/// The effective kernel command line.
const char* kernel_cmdline();

/// The first byte of the physical range the kernel image (code, data, bss) occupies.
Pa kernel_image_start();
/// The end (exclusive) of the kernel image's physical range.
Pa kernel_image_end();
/// The first byte of the multiboot2 information GRUB left in memory.
Pa boot_info_start();
/// The end (exclusive) of the multiboot2 information.
Pa boot_info_end();
/// The boot page table: the kernel half every address space shares, and what a CPU loads
/// when it runs no user address space.
Pa kernel_page_table_root();
/// The end of the direct map: all physical memory below it is mapped.
Pa direct_map_end();

/// Sets the control-register features every CPU runs with (SSE for user code, global
/// pages, SMEP, write protection in ring 0).
void init_cpu_features();

}  // namespace abyss

/// The kernel layer's entry point, called on the BSP once abyss is set up. Interrupts are
/// off; only this CPU runs.
[[noreturn]] void kernel_main();
