// fork(): the provided steps. The assignment's parts are in project3/fork.cpp.
#include <atomic>
#include <new>

#include <keos/mm/frame_alloc.hpp>
#include <keos/process/process.hpp>

namespace keos {
namespace {

// After a fork that failed once the parent's pages were shared (and the child's table is
// gone again): every present page of a writable mapping that nobody else shares gets its
// write right back, so the parent is left as it was. Pages still shared with an earlier
// child stay read-only: they were so before this fork too. Raising a right needs no
// shootdown; the local entry is invalidated for tidiness.
void restore_write_access(PageTable& table, const LazyPager& pager) {
  table.for_each_present([&](PteSlot slot) {
    Pte pte = slot.get();
    const VmAreaStruct* vma = pager.areas().find(slot.va());
    if (pte.writable() || vma == nullptr || !has(vma->permission, Permission::kWrite)) return;
    if (mm::frame_refcount(pte.pa()) != 1) return;
    slot.set_permission(pte.permission() | Permission::kWrite).invalidate();
  });
}

std::atomic<ForkCopy> g_fork_copy{ForkCopy::kOnWrite};

// ForkCopy::kEager: the child takes a private copy of every shared page of a writable
// mapping now, as its first write would; the parent then owns its frames alone again.
Result<void> copy_eagerly(PageTable& child, LazyPager& child_pager) {
  KernelError error{};
  bool failed = false;
  child.for_each_present([&](PteSlot slot) {
    const VmAreaStruct* vma = child_pager.areas().find(slot.va());
    if (failed || vma == nullptr || !has(vma->permission, Permission::kWrite)) return;
    constexpr std::uint64_t kPresentWrite = 0b11;  // #PF error code: P and W
    Result<void> copied = child_pager.do_copy_on_write(
        child, *vma, PageFaultReason::from_error_code(kPresentWrite, slot.va()));
    if (copied.is_err()) {
      failed = true;
      error = copied.error();
    }
  });
  if (failed) return Err(error);
  return Ok();
}

}  // namespace

void set_fork_copy(ForkCopy mode) { g_fork_copy.store(mode); }

Result<ThreadId> Process::fork(const Registers& regs) {
  // 1. The file table: the child gets its own descriptors for the same files.
  FileStruct files = TRY(files_.clone());
  // 2. The mapping records, then the page table: every present page shared, writable ones
  //    read-only in both (and shot down in the parent) -- project 3.
  LazyPager pager = TRY(mm_.pager().clone_areas());
  KernelError error = KernelError::kNoMemory;
  {
    Result<PageTable> table = PageTable::create();
    if (table.is_err()) return Err(table.error());
    Result<void> shared = mm_.pager().write_protect_ptes(mm_.page_table(), table.value());
    if (shared.is_ok() && g_fork_copy.load() == ForkCopy::kEager) {
      shared = copy_eagerly(table.value(), pager);
      if (shared.is_ok()) restore_write_access(mm_.page_table(), mm_.pager());
    }
    if (shared.is_ok()) {
      auto* process = new (std::nothrow) Process(
          MmStruct<LazyPager>(table.take(), static_cast<LazyPager&&>(pager)),
          static_cast<FileStruct&&>(files));
      // 3. The child's registers -- project 3 -- and its thread, which also inherits the
      //    FPU/SSE registers. The parent does not wait. (On failure, start_process has destroyed the child.)
      if (process != nullptr) {
        Result<JoinHandle> started =
            start_process(process, fork_child_registers(regs), Current::name(),
                          FpuState::kInherit);
        if (started.is_ok()) return started.value().id();
        error = started.error();
      }
    } else {
      error = shared.error();
    }
  }  // the child's table, if it was not handed over, is destroyed here
  restore_write_access(mm_.page_table(), mm_.pager());
  return Err(error);
}

}  // namespace keos
