/// \file
/// Project 3: fork with copy-on-write.
///
/// fork() makes the calling process a twin: same memory contents, same open files, same
/// registers; only fork's return value tells them apart (0 in the child, the child's id in
/// the parent). Copying all of the parent's memory at fork time would be slow and mostly
/// wasted, since many children soon exit or touch only a few pages. So the child shares
/// every page with its parent, and a page is copied only when one of them first writes to
/// it: copy-on-write (CoW).
///
/// How it works, and the four functions you write:
///
///   1. fork copies the file table (provided, keos/src/process/fork.cpp).
///   2. LazyPager::write_protect_ptes gives the child a page table that maps every present
///      user page of the parent to the same frame, and takes the write right away from
///      every such entry, in the child and in the parent. Both now fault on a write.
///   3. It also flushes the parent's TLBs: another CPU (or this one) may still cache a
///      writable translation of a page that is now shared.
///   4. fork_child_registers gives the child the parent's registers, with fork's return
///      value 0 in rax. The child thread starts (provided).
///   5. Later, a write to a shared page faults. LazyPager::handle_page_fault (provided,
///      keos/src/process/lazy_pager.cpp) asks PageFaultReason::is_cow_fault whether this is
///      a copy-on-write fault, and if so calls LazyPager::do_copy_on_write, which gives the
///      writer its own copy of the page.
///
/// Until you write a function, its body is KEOS_TODO(...): calling it stops the kernel
/// with "not implemented: FUNCTION (FILE:LINE)", and the test that needed it fails
/// with that reason.
///
/// The TLB rules (read keos/include/keos/mm/tlb.hpp):
///   - When you remove a right from an entry (write, here), CPUs may keep using the old
///     translation until it is invalidated. A CPU that kept a writable entry for a shared
///     page would write into the frame the other process still sees. So after
///     write-protecting the parent, flush its table everywhere with tlb_shutdown().
///   - When you replace the frame of an entry, the old translation must be invalidated
///     before the old frame may be freed: PteSlot::replace() gives you a StaleTLBEntry that
///     keeps the old frame alive; call invalidate() on it, then let the returned Page go.
///
/// Tools (headers in keos/include/keos):
/// ```
///   PageTable::for_each_present(fn)   visits every present user entry as a PteSlot
///   PageTable::map(va, page, perm)    maps a Page (one frame reference) with a Permission
///   PageTable::walk_mut(va)           the PteSlot of a mapped page, to read or rewrite
///   PteSlot::get()/set_raw()/replace()/set_permission()/make_writable()
///   Pte::writable(), Pte::permission(), Pte::pa(), Pte::without_flags(Pte::kWritable)
///   PageRef(pa).clone_ref()           one more reference to a frame, as a Page
///   Page::copy_of(PageRef(pa))      a new frame holding a copy, mm::frame_refcount(pa)
///   tlb_shutdown(table)
/// ```
#include <keos/mm/frame_alloc.hpp>
#include <keos/mm/page_table.hpp>
#include <keos/mm/tlb.hpp>
#include <keos/process/lazy_pager.hpp>
#include <keos/process/process.hpp>
#include <keos/todo.hpp>

namespace keos {

/// Share every present user page of `table` (the parent) with `child_table`, copy-on-write.
///
/// For each present entry of `table`:
///   - map the same frame at the same address in `child_table`, taking one more reference
///     to the frame (PageRef(pte.pa()).clone_ref()), with the entry's rights minus write.
///     Keep every other right as it was: a page that is not executable must stay so (the
///     NX bit), a read-only or executable page is shared as it is.
///   - if the entry is writable, clear its write bit in the parent too.
///
/// Then flush the parent's translations on every CPU: tlb_shutdown(table).
/// On an error (out of memory while mapping), stop and return it; the caller destroys the
/// half-built child table, which drops the references it took.
Result<void> LazyPager::write_protect_ptes([[maybe_unused]] PageTable& table,
                                           [[maybe_unused]] PageTable& child_table) {
  KEOS_TODO("LazyPager::write_protect_ptes");
}

/// True if this fault is a copy-on-write fault: a write (is_write_access) to a present page
/// (is_present) whose mapping allows writes (`vma.permission` has kWrite) but whose entry
/// `pte` does not (fork made it read-only). Anything else is not: a read or an instruction
/// fetch, a write to a read-only mapping (an access violation: the process must end with
/// -1), or a fault on a page that is not mapped yet (demand paging handles it).
bool PageFaultReason::is_cow_fault([[maybe_unused]] const VmAreaStruct& vma,
                                   [[maybe_unused]] Pte pte) const {
  KEOS_TODO("PageFaultReason::is_cow_fault");
}

/// Give the faulting process a writable page at `reason.fault_addr`.
///
///   - Find the entry with table.walk_mut(reason.fault_addr).
///   - If the frame has no other reference left (mm::frame_refcount(pa) == 1, e.g. the
///     other process exited), there is nothing to copy: make the entry writable in place
///     (PteSlot::set_permission) and invalidate the returned StaleTLBEntry. (Or
///     PteSlot::make_writable(): a right added needs no flush.)
///   - Otherwise make a copy of the old frame (Page::copy_of), and install it
///     writable with PteSlot::replace, keeping the entry's other rights (NX!). Invalidate
///     the StaleTLBEntry it returns before the old frame's reference is dropped.
///
/// Out of memory is an error (the process then ends with -1), never a panic.
Result<void> LazyPager::do_copy_on_write([[maybe_unused]] PageTable& table,
                                         [[maybe_unused]] const VmAreaStruct& vma,
                                         [[maybe_unused]] const PageFaultReason& reason) {
  KEOS_TODO("LazyPager::do_copy_on_write");
}

/// The registers the forked child starts with: the parent's, as they were when it called
/// fork(), except that fork() returns 0 in the child (the return value is in rax).
Registers fork_child_registers([[maybe_unused]] const Registers& parent) {
  KEOS_TODO("fork_child_registers");
}

}  // namespace keos
