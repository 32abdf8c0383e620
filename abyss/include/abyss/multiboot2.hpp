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

enum class MemoryType : std::uint32_t {
  kUsable = 1,
  kReserved = 2,
  kAcpiReclaimable = 3,
  kAcpiNvs = 4,
  kBad = 5,
};

struct MemoryRegion {
  Pa start;
  std::uint64_t length;
  MemoryType type;  ///< values other than those above are kept as they are
};

struct BootModule {
  Pa start;
  Pa end;  ///< exclusive
  char cmdline[64];
};

struct BootInfo {
  static constexpr std::size_t kMaxRegions = 128;
  static constexpr std::size_t kMaxModules = 16;
  static constexpr std::size_t kMaxCmdline = 1024;
  static constexpr std::size_t kMaxRsdp = 36;

  char cmdline[kMaxCmdline];
  MemoryRegion regions[kMaxRegions];
  std::size_t region_count;
  BootModule modules[kMaxModules];
  std::size_t module_count;
  unsigned char rsdp[kMaxRsdp];  ///< copy of the RSDP (version 1: 20 bytes, 2: 36 bytes)
  std::size_t rsdp_size;         ///< 0 if GRUB passed none
  std::uint64_t info_size;       ///< size of the multiboot2 information itself
};

enum class Multiboot2Error {
  kNone,
  kTruncated,  ///< total size too small, or a tag runs past the end
  kBadTag,     ///< a tag with a size below 8
  kNoEndTag,
  kTooManyItems,  ///< more regions or modules than BootInfo holds
};

/// Parses the information at `info` (at most `limit` bytes readable) into `out`.
/// The command line is truncated to fit; everything else must fit or it is an error.
Multiboot2Error parse_multiboot2(const void* info, std::size_t limit, BootInfo& out);

}  // namespace abyss
