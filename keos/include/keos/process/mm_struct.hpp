/// \file
/// MmStruct<Pager>: a process's address space, a page table plus the pager that fills it,
/// and the checks on the system-call arguments that reach them (all overflow-safe).
#pragma once

#include <cstdint>

#include <keos/addressing.hpp>
#include <keos/mm/page_table.hpp>
#include <keos/process/vma.hpp>
#include <keos/result.hpp>
#include <keos/task.hpp>

namespace keos {

/// An address space: a PageTable and the `Pager` (LazyPager in the kernel) that decides
/// what it maps. Move-only; used only by its process's thread.
template <class Pager>
class MmStruct {
 public:
  /// A new address space with no user mappings; kNoMemory.
  static Result<MmStruct> create() {
    PageTable table = TRY(PageTable::create());
    return MmStruct(std::move(table), Pager());
  }
  /// An address space made of `table` and `pager` (both taken), e.g. a forked child's.
  MmStruct(PageTable&& table, Pager&& pager)
      : page_table_(std::move(table)), pager_(std::move(pager)) {}
  /// Takes over `other`'s table and pager.
  MmStruct(MmStruct&&) = default;

  /// The page table.
  PageTable& page_table() { return page_table_; }
  /// The pager.
  Pager& pager() { return pager_; }

  /// True if the process may `access` every byte of [va, va + len). A null pointer or an
  /// address outside the user's mappings is not.
  bool access_ok(Va va, std::uint64_t len, Access access) const {
    if (va.value() == 0 || !is_user_range(va, len)) return false;
    return pager_.access_ok(va, len, access);
  }

  /// Maps [addr, addr + len) (len rounded up to pages) with `permission`, content from
  /// `loader`. kInvalidArgument if addr is 0 or unaligned, len is 0, the range
  /// wraps or leaves user space, or overlaps a mapping.
  Result<Va> mmap(Va addr, std::uint64_t len, Permission permission, Box<MmLoader> loader) {
    bool ok = addr.value() != 0 && addr.is_page_aligned() && len != 0 &&
              len <= kUserEnd && is_user_range(addr, (len + kPageSize - 1) & ~(kPageSize - 1));
    if (!ok) return Err(KernelError::kInvalidArgument);
    std::uint64_t rounded = (len + kPageSize - 1) & ~(kPageSize - 1);
    return pager_.mmap(page_table_, addr, rounded, permission, std::move(loader));
  }

  /// Removes the mapping starting exactly at `addr`; kInvalidArgument otherwise.
  Result<void> munmap(Va addr) { return pager_.munmap(page_table_, addr); }

 private:
  PageTable page_table_;
  Pager pager_;
};

}  // namespace keos
