// fork(): the provided steps. The assignment's parts are in project3/fork.cpp.
#include <new>

#include <keos/process/process.hpp>

namespace keos {

Result<ThreadId> Process::fork(const Registers& regs) {
  // 1. The file table: the child gets its own descriptors for the same files.
  FileStruct files = TRY(files_.clone());
  // 2. The mapping records, then the page table: every present page shared, writable ones
  //    read-only in both (and shot down in the parent) -- project 3.
  LazyPager pager = TRY(mm_.pager().clone_areas());
  PageTable table = TRY(PageTable::create());
  TRY(mm_.pager().write_protect_ptes(mm_.page_table(), table));
  auto* child = new (std::nothrow)
      Process(MmStruct<LazyPager>(static_cast<PageTable&&>(table), static_cast<LazyPager&&>(pager)),
              static_cast<FileStruct&&>(files));
  if (child == nullptr) return Err(KernelError::kNoMemory);
  // 3. The child's registers -- project 3 -- and its thread. The parent does not wait.
  JoinHandle handle = TRY(start_process(child, fork_child_registers(regs), Current::name()));
  return handle.id();
}

}  // namespace keos
