/// \file
/// The Multiboot2 boot information GRUB hands over: command line, memory map, modules (the
/// root file system arrives as one) and a copy of the ACPI RSDP. parse_multiboot2 copies what
/// the kernel needs into a BootInfo, so the original can be overwritten afterwards.
/// Host-testable: it only reads the blob it is given.
#pragma once

#include <cstddef>
#include <cstdint>

#include <abyss/addressing.hpp>

namespace abyss {

/// The type of a memory-map region, as the firmware reports it.
enum class MemoryType : std::uint32_t {
  kUsable = 1,           ///< RAM free for the kernel
  kReserved = 2,         ///< not to be touched
  kAcpiReclaimable = 3,  ///< holds ACPI tables; RAM once they are read
  kAcpiNvs = 4,          ///< firmware memory kept across sleep states
  kBad = 5,              ///< defective RAM
};

/// One region of the physical memory map.
struct MemoryRegion {
  Pa start;              ///< the first byte
  std::uint64_t length;  ///< its size in bytes
  MemoryType type;  ///< values other than those above are kept as they are
};

/// A file GRUB loaded next to the kernel (a `module2` line of grub.cfg).
struct BootModule {
  Pa start;  ///< the first byte of the file in physical memory
  Pa end;  ///< exclusive
  char cmdline[64];  ///< the module's string (its name, e.g. "rootfs"), truncated
};

/// What the kernel keeps of the Multiboot2 information.
struct BootInfo {
  static constexpr std::size_t kMaxRegions = 128;  ///< memory-map regions kept
  static constexpr std::size_t kMaxModules = 16;   ///< modules kept
  static constexpr std::size_t kMaxCmdline = 1024; ///< command-line bytes kept, NUL included
  static constexpr std::size_t kMaxRsdp = 36;      ///< the size of an ACPI 2.0 RSDP

  char cmdline[kMaxCmdline];           ///< GRUB's kernel command line, NUL-terminated
  MemoryRegion regions[kMaxRegions];   ///< the memory map, in GRUB's order
  std::size_t region_count;            ///< valid entries of `regions`
  BootModule modules[kMaxModules];     ///< the boot modules, in GRUB's order
  std::size_t module_count;            ///< valid entries of `modules`
  unsigned char rsdp[kMaxRsdp];  ///< copy of the RSDP (version 1: 20 bytes, 2: 36 bytes)
  std::size_t rsdp_size;         ///< 0 if GRUB passed none
  std::uint64_t info_size;       ///< size of the multiboot2 information itself
};

/// Why parse_multiboot2() failed.
enum class Multiboot2Error {
  kNone,       ///< success
  kTruncated,  ///< total size too small, or a tag runs past the end
  kBadTag,     ///< a tag with a size below 8
  kNoEndTag,   ///< the tags end without the end tag
  kTooManyItems,  ///< more regions or modules than BootInfo holds
};

/// Parses the information at `info` (at most `limit` bytes readable) into `out`.
/// The command line is truncated to fit; everything else must fit or it is an error.
Multiboot2Error parse_multiboot2(const void* info, std::size_t limit, BootInfo& out);

}  // namespace abyss
