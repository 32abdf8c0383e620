/// \file
/// Process: a user program. It is the Task of its one thread: an address space
/// (MmStruct<LazyPager>) and a file table (FileStruct), with the system calls of the ABI.
/// The process ends with its thread: exit(code), a fault it cannot resolve (-1), or kill;
/// its frames, page-table pages and files are released once the thread is off its CPU.
#pragma once

#include <cstddef>
#include <cstdint>

#include <keos/process/file_struct.hpp>
#include <keos/process/lazy_pager.hpp>
#include <keos/process/memmap.hpp>
#include <keos/process/mm_struct.hpp>
#include <keos/syscall/abi.hpp>
#include <keos/task.hpp>
#include <keos/thread/thread.hpp>

namespace keos {

/// A user process (see the file comment). Owned by its thread, as its Task.
class Process final : public Task {
 public:
  /// A process running root-file-system program `name` with arguments args[0 .. argc)
  /// (args[0] is conventionally the name); `regs` receives its initial registers.
  /// kNoSuchEntry, kNoExec (not a valid executable), kInvalidArgument (arguments too
  /// long), kNoMemory.
  static Result<Box<Process>> create(const char* name, const char* const* args, std::size_t argc,
                                 Registers& regs);

  /// Leaves the memory-map snapshots' table (when they are on) before its pages go.
  ~Process() override {
    if (memmap::enabled()) memmap::process_destroyed(*this);
  }

  /// The process's page table.
  PageTable& page_table() override { return mm_.page_table(); }
  /// Runs the system call in `regs` (see keos/syscall/abi.hpp for the numbers).
  void syscall(Registers& regs) override;
  /// Hands the fault to the pager: LazyPager::handle_page_fault().
  Result<void> page_fault(std::uint64_t error_code, Va address) override;
  /// True if the process's mappings allow `access` to [address, address + len).
  bool access_ok(Va address, std::uint64_t len, Access access) override {
    return mm_.access_ok(address, len, access);
  }

  /// The address space.
  MmStruct<LazyPager>& mm() { return mm_; }
  /// The descriptor table.
  FileStruct& files() { return files_; }

  /// fork(): a copy of this process, started with `regs` but rax = 0; returns its id.
  Result<ThreadId> fork(const Registers& regs);

 private:
  friend class Box<Process>;  // create() and fork() make processes with Box<Process>::create
  Process(MmStruct<LazyPager>&& mm, FileStruct&& files)
      : files_(std::move(files)), mm_(std::move(mm)) {
    if (memmap::enabled()) memmap::process_created(*this);
  }
  Result<std::uint64_t> dispatch(SyscallAbi& abi);

  // The last page fault (its page | its error code) and how many times in a row it came
  // back; see page_fault().
  static constexpr unsigned kMaxFaultRepeats = 64;
  std::uint64_t last_fault_ = ~0ull;  // matches no fault
  unsigned fault_repeats_ = 0;

  // Declared in this order so that the address space is released before the files are
  // closed: a process waiting for a pipe's end of file then finds this one's frames free.
  FileStruct files_;
  MmStruct<LazyPager> mm_;
};

/// Starts `process` on a new thread at `regs`, with a clean FPU/SSE state or the
/// caller's (fork).
Result<JoinHandle> start_process(Box<Process> process, const Registers& regs, const char* name,
                                 FpuState fpu = FpuState::kClean);

/// For tests: runs program `name` with args[0 .. argc) as a new process on the running
/// thread's teletype and returns its exit code (forked children are not waited for).
Result<int> run_elf(const char* name, const char* const* args, std::size_t argc);

/// Project 3 (project3/fork.cpp): the registers a forked child starts with.
Registers fork_child_registers(const Registers& parent);

}  // namespace keos
