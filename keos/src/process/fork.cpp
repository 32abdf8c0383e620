// fork(): the provided steps around the student's (project3/fork.cpp).
#include <atomic>

#include <abyss/panic.hpp>
#include <keos/mm/frame_alloc.hpp>
#include <keos/process/fork_hook.hpp>
#include <keos/process/process.hpp>

namespace keos {
namespace {

std::atomic<ForkHook> g_fork_hook{nullptr};

// TLB rule 1 (keos/mm/tlb.hpp): a right taken away must be shot down before anyone relies
// on its absence. After the sharing step the child's writes go to the shared frames'
// copies only if no CPU still writes through the parent's old writable translations, so
// write_protect_ptes must end with tlb_shutdown(parent) after its last change. Nothing a
// test could observe shows the mistake reliably on one CPU, so the kernel stops here.
void check_shootdown_done(const PageTable& parent) {
  if (!parent.shootdown_owed()) return;
  abyss::panic(
      "TLB rule 1 broken in LazyPager::write_protect_ptes (project3/fork.cpp): it took the "
      "write right away from the parent's entries but no tlb_shutdown(table) came after "
      "the last change, so another CPU may still write through a cached writable "
      "translation into a frame the child now shares");
}

}  // namespace

void set_fork_hook(ForkHook hook) { g_fork_hook.store(hook); }

void restore_write_access(PageTable& table, const LazyPager& pager) {
  table.for_each_present([&](PteSlot slot) {
    Pte pte = slot.get();
    const VmAreaStruct* vma = pager.areas().find(slot.va());
    if (pte.writable() || vma == nullptr || !has(vma->permission, Permission::kWrite)) return;
    if (mm::frame_refcount(pte.pa()) != 1) return;
    slot.make_writable();
  });
}

Result<ThreadId> Process::fork(const Registers& regs) {
  // 1. The file table: the child gets its own descriptors for the same files.
  FileStruct files = TRY(files_.clone());
  // 2. The mapping records.
  LazyPager pager = TRY(mm_.pager().clone_areas());
  Result<ThreadId> started = [&]() -> Result<ThreadId> {
    // 3. The child's page table: every present page shared, writable ones read-only in
    //    both processes, the parent's stale translations shot down (project 3,
    //    LazyPager::write_protect_ptes).
    PageTable table = TRY(PageTable::create());
    Result<void> shared = mm_.pager().write_protect_ptes(mm_.page_table(), table);
    check_shootdown_done(mm_.page_table());
    if (shared.is_err()) return Err(shared.error());
    if (ForkHook hook = g_fork_hook.load()) {
      TRY(hook(ForkHookArgs{mm_.page_table(), mm_.pager(), table, pager}));
    }
    Box<Process> child = TRY(Box<Process>::create(
        MmStruct<LazyPager>(std::move(table), std::move(pager)), std::move(files)));
    // 4. The child's registers (project 3, fork_child_registers) and its thread, which
    //    also inherits the FPU/SSE registers. The parent does not wait. (On failure,
    //    start_process has destroyed the child.)
    JoinHandle handle = TRY(start_process(std::move(child), fork_child_registers(regs),
                                          Current::name(), FpuState::kInherit));
    return handle.id();
  }();
  // On failure the child's table is gone by now (it lived inside the lambda), and with it
  // its references to the shared frames: the parent's pages that nobody shares any more
  // get their write right back.
  if (started.is_err()) restore_write_access(mm_.page_table(), mm_.pager());
  return started;
}

}  // namespace keos
