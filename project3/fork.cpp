/// \file
/// Project 3: fork with copy-on-write. The whole assignment is in this file.
///
/// fork() makes the calling process a twin: same memory contents, same open files, same
/// registers; only fork's return value tells them apart (0 in the child, the child's id in
/// the parent). Copying all of the parent's memory at fork time would be slow and mostly
/// wasted, since many children soon exit or touch only a few pages. So the child shares
/// every page with its parent, and a page is copied only when one of them first writes to
/// it: copy-on-write (CoW).
///
/// fork runs four steps (Process::fork, keos/src/process/fork.cpp, provided):
///   1. copy the file table;
///   2. copy the mapping records (the VMAs);
///   3. share the address space: LazyPager::write_protect_ptes          <- you
///   4. start the child with fork_child_registers(parent's registers)   <- you
/// and later, when either process writes to a shared page, the page-fault handler
/// (LazyPager::handle_page_fault, keos/src/process/lazy_pager.cpp) asks
/// PageFaultReason::is_cow_fault and, if the answer is yes, calls
/// LazyPager::do_copy_on_write                                           <- you, twice
/// docs/project3.md tells the whole story, with pictures and the common mistakes.
///
/// Until you write a function, its body is KEOS_TODO(...): a test that reaches it is
/// reported "not implemented yet: FUNCTION (FILE:LINE)" and the other tests go on.
///
/// The two TLB rules (keos/include/keos/mm/tlb.hpp); the kernel checks both:
///   1. A right you take away must be shot down: after the parent's last entry lost its
///      write right, tlb_shutdown() on the parent's table, so that no CPU keeps writing
///      through a cached writable translation. (fork stops the kernel if you forget.)
///   2. A frame you replace must stay alive until its translation is gone:
///      PteSlot::replace() hands you a StaleTLBEntry; invalidate() it. (Dropping it
///      un-invalidated stops the kernel.)
///
/// Your tools (headers in keos/include/keos; docs/project3.md has a table):
///   PageTable            try_for_each_present(fn), map(va, page, perm), walk_mut(va)
///   PteSlot              get(), va(), write_protect(), replace(page, perm),
///                        set_permission(perm), make_writable()
///   Pte                  present(), writable(), pa(), permission()
///   Page, PageRef        one frame reference (owned / borrowed); clone_ref(), copy_of()
///   mm::frame_refcount   how many references a frame has
///   Permission           kRead, kWrite, kExecutable, kUser; has(set, right)
///   Result, TRY, Ok()    errors as values (docs/project3.md, "The C++ you need")
#include <keos/mm/frame_alloc.hpp>
#include <keos/mm/page_table.hpp>
#include <keos/mm/tlb.hpp>
#include <keos/process/lazy_pager.hpp>
#include <keos/process/process.hpp>
#include <keos/todo.hpp>

namespace keos {

/// Step 3 of fork: share every present user page of `table` (the parent's) with
/// `child_table` (new and empty), copy-on-write.
///
/// For each present entry of the parent:
///   - map the same frame at the same address in the child. The child's entry is one
///     more reference to the frame, and it gets the parent entry's rights without the
///     write right: every other right, the no-execute bit included, stays as it was;
///   - if the parent's entry is writable, take its write right away too.
/// Then keep TLB rule 1 (above).
///
/// Running out of memory (mapping in the child needs page-table pages) is an error to
/// return at once; fork then destroys the half-built child table and gives the parent its
/// write rights back, so you never undo your own work.
Result<void> LazyPager::write_protect_ptes([[maybe_unused]] PageTable& table,
                                           [[maybe_unused]] PageTable& child_table) {
  KEOS_TODO("LazyPager::write_protect_ptes");
}

/// Is this fault a copy-on-write fault? `vma` is the mapping that holds the address (what
/// the process asked for), `pte` the page's entry (what the hardware allows right now).
/// The fault handler trusts your answer: yes means do_copy_on_write runs, no means the
/// process ends with -1.
///
/// Only one kind of fault is: a write to a present page that the mapping lets the
/// process write but the entry does not (fork took the write right away). Think about
/// every other kind: a read, an instruction fetch, a write to a read-only mapping, a
/// fault on a page that is not present.
bool PageFaultReason::is_cow_fault([[maybe_unused]] const VmAreaStruct& vma,
                                   [[maybe_unused]] Pte pte) const {
  KEOS_TODO("PageFaultReason::is_cow_fault");
}

/// Give the faulting process a page it can write at `reason.fault_addr`, so that the
/// write, retried, goes through at once (one write, one fault).
///
///   - Find the page's entry in `table`.
///   - If nobody else holds a reference to its frame any more (the other process exited,
///     or copied the page already), there is nothing to copy: give the entry its write
///     right back, in place.
///   - Otherwise make a private copy of the frame and install it in place of the shared
///     one, with the entry's rights plus write. Keep TLB rule 2 (above): the shared frame
///     loses this process's reference only after the old translation is gone.
///
/// Running out of memory is an error to return (the process then ends with -1); never
/// a panic, and never a half-changed entry.
Result<void> LazyPager::do_copy_on_write([[maybe_unused]] PageTable& table,
                                         [[maybe_unused]] const VmAreaStruct& vma,
                                         [[maybe_unused]] const PageFaultReason& reason) {
  KEOS_TODO("LazyPager::do_copy_on_write");
}

/// Step 4 of fork: the registers the child starts with. The child must continue exactly
/// where the parent called fork(), with everything as the parent had it, except fork's
/// return value (`Registers` names the register that holds it).
Registers fork_child_registers([[maybe_unused]] const Registers& parent) {
  KEOS_TODO("fork_child_registers");
}

}  // namespace keos
