/// \file
/// The Multiboot (version 1) boot information, the one QEMU's own loader hands over when it
/// starts the kernel directly (`-kernel`, with the root file system as `-initrd`), which
/// skips the firmware's disk boot and GRUB. parse_multiboot1 fills the same BootInfo as
/// parse_multiboot2 (Multiboot 1 passes no ACPI RSDP: find_rsdp looks for it). The
/// information points at other physical memory (memory map, modules, strings), so it is
/// read through a PhysView: host-testable over crafted memory.
#pragma once

#include <cstddef>
#include <cstdint>

#include <abyss/acpi.hpp>
#include <abyss/multiboot2.hpp>

namespace abyss {

/// What a Multiboot 1 loader leaves in EAX.
inline constexpr std::uint32_t kMultiboot1LoaderMagic = 0x2badb002;

/// Why parse_multiboot1() failed.
enum class Multiboot1Error {
  kNone,          ///< success
  kUnreadable,    ///< the information, or memory it points at, cannot be read
  kNoMemoryMap,   ///< the loader passed no memory map (flag bit 6)
  kBadMemoryMap,  ///< an entry runs past the map's declared length
  kTooManyItems,  ///< more regions or modules than BootInfo holds
};

/// Parses the information at physical address `info`, read through `view`, into `out`.
/// The kernel command line and each module's string lose their first word (the loader
/// puts the file's path there, as GRUB's Multiboot 1 loader does) and are truncated to fit.
Multiboot1Error parse_multiboot1(Pa info, PhysView view, BootInfo& out);

}  // namespace abyss
