// Project 3 reference solution: fork with copy-on-write. Course staff only (not in the
// student handout). `make SOLUTION=1 ...` builds with this file instead of
// project3/fork.cpp.
#include <keos/mm/frame_alloc.hpp>
#include <keos/mm/page_table.hpp>
#include <keos/mm/tlb.hpp>
#include <keos/process/lazy_pager.hpp>
#include <keos/process/process.hpp>

namespace keos {

Result<void> LazyPager::write_protect_ptes(PageTable& table, PageTable& child_table) {
  Result<void> shared = table.try_for_each_present([&](PteSlot slot) -> Result<void> {
    Pte pte = slot.get();
    // The child's entry: the same frame (one more reference), the same rights but write.
    TRY(child_table.map(slot.va(), PageRef(pte.pa()).clone_ref(),
                        pte.permission() & ~Permission::kWrite));
    // The parent's entry loses write too; its old writable translation may be cached.
    if (pte.writable()) slot.write_protect();
    return Ok();
  });
  // Every CPU running the parent may hold writable entries for pages now shared (also
  // after an error: the entries changed before it are read-only already).
  tlb_shutdown(table);
  return shared;
}

bool PageFaultReason::is_cow_fault(const VmAreaStruct& vma, Pte pte) const {
  return is_write_access && is_present && has(vma.permission, Permission::kWrite) &&
         pte.present() && !pte.writable();
}

Result<void> LazyPager::do_copy_on_write(PageTable& table, const VmAreaStruct&,
                                         const PageFaultReason& reason) {
  PteSlot slot = TRY(table.walk_mut(reason.fault_addr));
  Pte pte = slot.get();
  // The rights the entry had (user, execute or not) plus write.
  Permission writable = pte.permission() | Permission::kWrite;
  if (mm::frame_refcount(pte.pa()) == 1) {
    // Nobody shares the frame any more: make it writable in place. (A right added needs
    // no flush; set_permission(writable).invalidate() would be right too, just slower.)
    slot.make_writable();
    return Ok();
  }
  Page copy = TRY(Page::copy_of(PageRef(pte.pa())));
  // The shared frame loses this reference only after no CPU can reach it through the old
  // entry.
  slot.replace(std::move(copy), writable).invalidate();
  return Ok();
}

Registers fork_child_registers(const Registers& parent) {
  Registers child = parent;
  child.rax = 0;  // fork() returns 0 in the child
  return child;
}

}  // namespace keos
