/// \file
/// Virtual memory areas: what a process has mapped, page-granular, with its permission and
/// where each page's content comes from. The lazy pager keeps them in a VmaSet and creates
/// pages only when they are first touched.
#pragma once

#include <cstddef>
#include <cstdint>

#include <keos/addressing.hpp>
#include <keos/box.hpp>
#include <keos/mm/page.hpp>
#include <keos/mm/pte.hpp>
#include <keos/result.hpp>

namespace keos {

namespace fs {
class File;
}

/// Supplies the initial content of the pages of one mapping.
class MmLoader {
 public:
  virtual ~MmLoader() = default;
  /// Fills `page` (zero-filled) with the content at byte `offset` of the mapping.
  virtual Result<void> load(Page& page, std::uint64_t offset) = 0;
  /// A loader for the same content (a forked child's copy of the mapping); kNoMemory.
  virtual Result<Box<MmLoader>> clone() const = 0;
};

/// Anonymous memory: every page starts zero-filled.
class AnonymousLoader final : public MmLoader {
 public:
  /// Leaves the zero-filled page as it is.
  Result<void> load(Page&, std::uint64_t) override { return Ok(); }
  /// Another anonymous loader; kNoMemory.
  Result<Box<MmLoader>> clone() const override;
};

/// A private file mapping: byte i of the mapping is byte `file_offset + i` of `file` for
/// i < `file_bytes`, zero after that (past the end of the file, or an ELF bss).
/// Nothing is ever written back.
class FileLoader final : public MmLoader {
 public:
  /// The loader of a mapping whose first `file_bytes` bytes come from `file` at
  /// `file_offset`. Files live for the whole boot, so the reference stays valid.
  FileLoader(fs::File& file, std::uint64_t file_offset, std::uint64_t file_bytes)
      : file_(file), file_offset_(file_offset), file_bytes_(file_bytes) {}
  /// Copies the file bytes that fall into the page at mapping offset `offset`.
  Result<void> load(Page& page, std::uint64_t offset) override;
  /// The same mapping of the same file; kNoMemory.
  Result<Box<MmLoader>> clone() const override;

 private:
  fs::File& file_;
  std::uint64_t file_offset_;
  std::uint64_t file_bytes_;
};

/// One mapping: [start, end), page aligned.
struct VmAreaStruct {
  Va start;               ///< the first byte of the mapping
  Va end;                 ///< the end of the mapping (exclusive)
  Permission permission;  ///< what the pages get (kUser is always included)
  Box<MmLoader> loader;   ///< where the pages' content comes from (owned by the area)

  /// True if `va` lies in [start, end).
  bool contains(Va va) const { return va >= start && va < end; }
};

/// The areas of one address space, sorted by address, never overlapping. Host-testable.
class VmaSet {
 public:
  /// An empty set.
  VmaSet() = default;
  /// Takes over `other`'s areas; `other` is left empty.
  VmaSet(VmaSet&& other)
      : areas_(std::move(other.areas_)),
        count_(other.count_),
        capacity_(other.capacity_),
        hint_(other.hint_) {
    other.count_ = other.capacity_ = 0;
  }
  VmaSet(const VmaSet&) = delete;
  VmaSet& operator=(const VmaSet&) = delete;

  /// Adds [start, end) (page aligned, start < end) with `loader` (deleted if refused).
  /// kExists if it overlaps an area, kNoMemory.
  Result<void> insert(Va start, Va end, Permission permission, Box<MmLoader> loader);
  /// Removes the area that starts exactly at `start`; kInvalidArgument if none does.
  /// Returns the removed area, with its loader.
  Result<VmAreaStruct> remove(Va start);
  /// The area holding `va`, or nullptr. Tries the area it found last time first: a
  /// process's faults come in runs over one area.
  const VmAreaStruct* find(Va va) const {
    if (hint_ < count_ && areas_[hint_].contains(va)) return &areas_[hint_];
    return search(va);
  }
  /// True if every byte of [va, va + len) lies in areas that all include `needed`.
  bool covers(Va va, std::uint64_t len, Permission needed) const;

  /// How many areas there are.
  std::size_t size() const { return count_; }
  /// The `i`-th area in address order (`i` below size()).
  const VmAreaStruct& operator[](std::size_t i) const { return areas_[i]; }

 private:
  const VmAreaStruct* search(Va va) const;

  Box<VmAreaStruct[]> areas_;  // [0, count_) sorted by start; capacity_ in all
  std::size_t count_ = 0;
  std::size_t capacity_ = 0;
  // The index search() found last. Only a guess: find() checks that the area there holds
  // the address (areas never overlap, so that area is the answer), so inserts and removes
  // need not keep it up to date. The set has one user at a time (see LazyPager).
  mutable std::size_t hint_ = 0;
};

}  // namespace keos
