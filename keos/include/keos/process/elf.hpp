/// \file
/// ELF64 executables: the validation and the plan for loading them. Host-testable: it reads
/// only the bytes it is given.
///
/// Accepted: little-endian ELF64, version 1, ET_EXEC for x86-64, program headers of the
/// standard size inside the file. Every PT_LOAD must have filesz <= memsz, file bytes inside
/// the file, an address range inside user space and above page 0 that does not wrap, and
/// p_vaddr congruent to p_offset modulo the page size; no two segments may touch the same
/// page; the entry point must lie in an executable segment. Anything else is kNoExec.
#pragma once

#include <cstddef>
#include <cstdint>

#include <keos/addressing.hpp>
#include <keos/mm/page_table.hpp>
#include <keos/mm/pte.hpp>
#include <keos/result.hpp>

namespace keos {

/// One PT_LOAD segment: what to map where.
struct ElfSegment {
  Va vaddr;                   ///< where the segment's first byte goes
  std::uint64_t memsz;        ///< bytes in memory (file bytes, then zeros)
  std::uint64_t offset;       ///< where its file bytes start in the file
  std::uint64_t filesz;       ///< file bytes
  Permission permission;      ///< kUser | kRead, + kWrite, + kExecutable from p_flags
};

/// A validated executable: its entry point and its loadable segments.
struct ElfImage {
  static constexpr std::size_t kMaxSegments = 16;  ///< more PT_LOAD segments are kNoExec
  Va entry;                           ///< where the program starts
  ElfSegment segments[kMaxSegments];  ///< the PT_LOAD segments, in file order
  std::size_t segment_count;          ///< valid entries of `segments`
};

/// The size of the ELF header.
inline constexpr std::size_t kElfHeaderSize = 64;

/// Where the program-header table of a file lies: `size` bytes (at most 64 headers of 56
/// bytes) at byte `offset`, which may be anywhere inside the file.
struct ElfHeaderTable {
  std::uint64_t offset;  ///< e_phoff
  std::size_t size;      ///< e_phnum * e_phentsize
};

/// Validates the ELF header among the first `len` bytes of a file of `file_size` bytes
/// (`header`; at least kElfHeaderSize of them are needed) and says where its program
/// headers are; kNoExec if the header is bad or the table does not lie inside the file.
Result<ElfHeaderTable> locate_program_headers(const std::uint8_t* header, std::size_t len,
                                              std::uint64_t file_size);

/// Validates the executable of `file_size` bytes whose first `len` bytes are `header` and
/// whose program-header table (locate_program_headers() says where) is `table`, and
/// describes its segments.
Result<ElfImage> parse_elf(const std::uint8_t* header, std::size_t len,
                           const std::uint8_t* table, std::uint64_t file_size);

/// The same for a file whose first `len` bytes, `data`, hold its program headers too. If
/// `len` is too short to hold them, fails with kNoExec and sets `needed` (when given) to the
/// length that would do.
Result<ElfImage> parse_elf(const std::uint8_t* data, std::size_t len, std::uint64_t file_size,
                           std::size_t* needed = nullptr);

}  // namespace keos
