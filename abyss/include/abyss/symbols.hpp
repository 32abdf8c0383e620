/// \file
/// The kernel's own symbol table, embedded at build time (scripts/mksyms.py writes it from
/// the first link; the second link places it in .ksyms), so panics print function names.
///
/// Blob layout (little endian): "KSYM", u32 count, then `count` entries of
/// {u64 address, u32 size, u32 name offset} sorted by address, then NUL-terminated names
/// (offsets count from the start of the names).
#pragma once

#include <cstddef>
#include <cstdint>

namespace abyss {

/// The result of a symbol-table lookup.
struct SymbolInfo {
  const char* name;      ///< nullptr if no symbol covers the address
  std::uint64_t offset;  ///< address - symbol start
};

/// A read-only view of a symbol-table blob; it does not own the bytes.
class SymbolTable {
 public:
  /// An empty table: every lookup finds nothing.
  constexpr SymbolTable() = default;
  /// Views a blob in the format above; an invalid blob gives an empty table.
  SymbolTable(const void* blob, std::size_t size);

  /// The function containing `address`: the last symbol at or below it, if the address
  /// lies within its size (or the size is unknown).
  SymbolInfo lookup(std::uint64_t address) const;
  /// How many symbols the table holds.
  std::size_t size() const { return count_; }

 private:
  struct [[gnu::packed]] Entry {
    std::uint64_t address;
    std::uint32_t size;
    std::uint32_t name;
  };
  const Entry* entries_ = nullptr;
  std::size_t count_ = 0;
  const char* names_ = nullptr;
  std::size_t names_size_ = 0;
};

/// The kernel's table.
const SymbolTable& kernel_symbols();

}  // namespace abyss
