// The provided half of the lazy pager; project3/fork.cpp holds the copy-on-write half.
#include <keos/process/lazy_pager.hpp>

#include <new>

namespace keos {

PageFaultReason PageFaultReason::from_error_code(std::uint64_t error_code, Va fault_addr) {
  return PageFaultReason{
      .fault_addr = fault_addr,
      .is_write_access = (error_code & abyss::kPfWrite) != 0,
      .is_present = (error_code & abyss::kPfPresent) != 0,
      .is_instruction_fetch = (error_code & abyss::kPfInstruction) != 0,
  };
}

Result<Va> LazyPager::mmap(PageTable&, Va addr, std::uint64_t len, Permission permission,
                           MmLoader* loader) {
  Result<void> inserted = areas_.insert(addr, addr + len, permission | Permission::kUser, loader);
  if (inserted.is_err()) {
    return Err(inserted.error() == KernelError::kExists ? KernelError::kInvalidArgument
                                                        : inserted.error());
  }
  return addr;
}

Result<void> LazyPager::munmap(PageTable& table, Va addr) {
  VmAreaStruct area = TRY(areas_.remove(addr));
  delete area.loader;
  table.for_each_present([&](PteSlot slot) {
    if (area.contains(slot.va())) slot.clear().invalidate();  // the frame goes here
  });
  return Ok();
}

Result<PageRef> LazyPager::get_user_page(PageTable& table, Va va) {
  Pte pte = TRY(table.walk(va));
  return PageRef(pte.pa());
}

bool LazyPager::access_ok(Va va, std::uint64_t len, Access access) const {
  Permission needed = access == Access::kWrite ? Permission::kRead | Permission::kWrite
                                               : Permission::kRead;
  return areas_.covers(va, len, needed);
}

Result<void> LazyPager::fault_in(PageTable& table, const VmAreaStruct& vma, Va page) {
  Page fresh = TRY(Page::create());
  TRY(vma.loader->load(fresh, page - vma.start));
  return table.map(page, static_cast<Page&&>(fresh), vma.permission);
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
  // A present page: only a write to a writable mapping can be legitimate (copy-on-write);
  // anything else broke the mapping's permission.
  if (!reason.is_write_access || !writable) return Err(KernelError::kBadAddress);
  Pte pte = TRY(table.walk(reason.fault_addr));
  if (pte.writable()) return Ok();  // a stale read-only TLB entry: the retry succeeds
  if (!reason.is_cow_fault(*vma, pte)) return Err(KernelError::kBadAddress);
  return do_copy_on_write(table, *vma, reason);
}

Result<LazyPager> LazyPager::clone_areas() const {
  LazyPager copy;
  for (std::size_t i = 0; i < areas_.size(); ++i) {
    const VmAreaStruct& a = areas_[i];
    MmLoader* loader = a.loader->clone();
    if (loader == nullptr) return Err(KernelError::kNoMemory);
    TRY(copy.areas_.insert(a.start, a.end, a.permission, loader));
  }
  return copy;
}

}  // namespace keos
