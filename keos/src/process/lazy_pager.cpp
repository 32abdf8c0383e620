// The provided half of the lazy pager, fault handling; lazy_pager_areas.cpp keeps the
// mapping records and project3/fork.cpp holds the copy-on-write half.
#include <keos/process/lazy_pager.hpp>

namespace keos {

Result<void> LazyPager::fault_in(PageTable& table, const VmAreaStruct& vma, Va page) {
  Page fresh = TRY(Page::create());
  TRY(vma.loader->load(fresh, page - vma.start));
  return table.map(page, std::move(fresh), vma.permission);
}

Result<void> LazyPager::handle_page_fault(PageTable& table, const PageFaultReason& reason) {
  const VmAreaStruct* vma = areas_.find(reason.fault_addr);
  if (vma == nullptr) return Err(KernelError::kBadAddress);
  bool writable = has(vma->permission, Permission::kWrite);
  if (!reason.is_present) {
    if (reason.is_write_access && !writable) return Err(KernelError::kBadAddress);
    if (reason.is_instruction_fetch && !has(vma->permission, Permission::kExecutable)) {
      return Err(KernelError::kBadAddress);
    }
    return fault_in(table, *vma, reason.fault_addr.page_down());
  }
  // A present page. walk_mut, not walk: it leaves the table remembering this page's
  // last-level table, so do_copy_on_write's own walk_mut finds the entry without a walk
  // from the root.
  Pte pte = TRY(table.walk_mut(reason.fault_addr)).get();
  // A write that found the entry writable already came through a stale read-only TLB
  // entry (another CPU resolved the fault first, or the write right was added in place):
  // the retry succeeds.
  // (The entry first: a copy-on-write fault, the hot case, is decided by that one test.)
  if (pte.writable() && reason.is_write_access && writable) return Ok();
  // Only fork shares pages: in an address space that never took part in one, no fault on
  // a present page can be copy-on-write. Otherwise project 3 decides, and the handler
  // trusts it: a copy-on-write fault is resolved by a private copy; any other fault on a
  // present page broke the mapping's permission, and the process ends.
  if (!shares_frames_ || !reason.is_cow_fault(*vma, pte)) return Err(KernelError::kBadAddress);
  return do_copy_on_write(table, *vma, reason);
}

}  // namespace keos
