// The provided half of the lazy pager, mapping records: mmap, munmap, the access checks
// of system-call buffers and the copy for fork. Apart from lazy_pager.cpp, which calls
// into project 3 (is_cow_fault, do_copy_on_write), so that this half builds on the host
// for keos/tests/lazy_pager_test.cpp.
#include <keos/process/lazy_pager.hpp>

namespace keos {

Result<Va> LazyPager::mmap(PageTable&, Va addr, std::uint64_t len, Permission permission,
                           Box<MmLoader> loader) {
  Result<void> inserted =
      areas_.insert(addr, addr + len, permission | Permission::kUser, std::move(loader));
  if (inserted.is_err()) {
    return Err(inserted.error() == KernelError::kExists ? KernelError::kInvalidArgument
                                                        : inserted.error());
  }
  return addr;
}

Result<void> LazyPager::munmap(PageTable& table, Va addr) {
  VmAreaStruct area = TRY(areas_.remove(addr));
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

Result<LazyPager> LazyPager::clone_areas() {
  LazyPager copy;
  copy.shares_frames_ = shares_frames_ = true;
  for (std::size_t i = 0; i < areas_.size(); ++i) {
    const VmAreaStruct& a = areas_[i];
    TRY(copy.areas_.insert(a.start, a.end, a.permission, TRY(a.loader->clone())));
  }
  return copy;
}

}  // namespace keos
