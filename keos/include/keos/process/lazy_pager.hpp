/// \file
/// LazyPager: demand paging. mmap() only records the mapping (no frame, not even a page-
/// table page is allocated); the first access to a page faults, and handle_page_fault()
/// creates the page from the mapping's loader and maps it with the mapping's permission.
/// After fork, pages are shared copy-on-write: a write to such a page goes to
/// do_copy_on_write() (project 3). Every other fault is an access violation, and the
/// process ends with -1.
///
/// A process has one thread, and only that thread uses its pager (the kernel touches it
/// otherwise only once the process has exited), so the pager takes no lock.
#pragma once

#include <cstdint>

#include <abyss/trap.hpp>
#include <keos/addressing.hpp>
#include <keos/mm/page_table.hpp>
#include <keos/process/vma.hpp>
#include <keos/result.hpp>
#include <keos/task.hpp>

namespace keos {

/// Why a page fault happened, from the CPU's error code and CR2.
struct PageFaultReason {
  Va fault_addr;               ///< the address the access touched
  bool is_write_access;        ///< a write (else a read or an instruction fetch)
  bool is_present;             ///< the page was mapped: the access broke its permission
  bool is_instruction_fetch;   ///< an instruction fetch

  /// Decodes the CPU's page-fault error code (the kPf* bits of abyss/trap.hpp) for a
  /// fault at `fault_addr` (CR2).
  static PageFaultReason from_error_code(std::uint64_t error_code, Va fault_addr) {
    return PageFaultReason{
        .fault_addr = fault_addr,
        .is_write_access = (error_code & abyss::kPfWrite) != 0,
        .is_present = (error_code & abyss::kPfPresent) != 0,
        .is_instruction_fetch = (error_code & abyss::kPfInstruction) != 0,
    };
  }

  /// Project 3 (project3/fork.cpp): true for a copy-on-write fault, a write to a present
  /// page whose mapping is writable but whose entry is read-only because fork shares it.
  bool is_cow_fault(const VmAreaStruct& vma, Pte pte) const;
};

/// The pager of one address space (see the file comment): the mappings, and the code that
/// fills pages on demand and splits copy-on-write pages.
class LazyPager {
 public:
  /// A pager with no mappings.
  LazyPager() = default;
  /// Takes over `other`'s mappings.
  LazyPager(LazyPager&&) = default;

  /// Records the mapping [addr, addr + len) (page aligned, checked by MmStruct) with
  /// `permission` (kUser is added) and `loader`. kInvalidArgument if it overlaps.
  Result<Va> mmap(PageTable& table, Va addr, std::uint64_t len, Permission permission,
                  Box<MmLoader> loader);
  /// Removes the mapping that starts exactly at `addr` and releases its pages.
  /// kInvalidArgument if no mapping starts there.
  Result<void> munmap(PageTable& table, Va addr);
  /// The frame mapped at `va` (not faulted in); kNoSuchEntry if none is.
  Result<PageRef> get_user_page(PageTable& table, Va va);
  /// True if [va, va + len) lies in mappings that allow `access` (length 0: va itself).
  bool access_ok(Va va, std::uint64_t len, Access access) const;
  /// Resolves a fault (see the file comment); an error means an access violation.
  Result<void> handle_page_fault(PageTable& table, const PageFaultReason& reason);

  /// The mappings, sorted by address.
  const VmaSet& areas() const { return areas_; }

  /// Project 3 (project3/fork.cpp): gives `child_table` a copy of every present user page
  /// of `table`, sharing the frames, with writable entries made read-only in both.
  Result<void> write_protect_ptes(PageTable& table, PageTable& child_table);
  /// Project 3 (project3/fork.cpp): gives the faulting process its own writable copy of
  /// the page at `reason.fault_addr`.
  Result<void> do_copy_on_write(PageTable& table, const VmAreaStruct& vma,
                                const PageFaultReason& reason);
  /// A copy of the mapping records (loaders cloned) for a forked child. From then on
  /// both pagers may share frames (see shares_frames()).
  Result<LazyPager> clone_areas();
  /// True once this address space took part in a fork (as parent or child): only then
  /// can its pages be shared, and only then does a fault on a present page go to
  /// is_cow_fault. Before, such a fault is an access violation without asking.
  bool shares_frames() const { return shares_frames_; }

 private:
  Result<void> fault_in(PageTable& table, const VmAreaStruct& vma, Va page);
  VmaSet areas_;
  bool shares_frames_ = false;
};

}  // namespace keos
