/// \file
/// Task: what a thread runs on behalf of in user mode (a process). The scheduler loads the
/// task's page table whenever the thread runs; the system-call and fault paths ask the task
/// to handle what ring 3 did. A thread without a task runs kernel code only.
#pragma once

#include <cstdint>

#include <keos/addressing.hpp>
#include <keos/result.hpp>
#include <keos/syscall/registers.hpp>

namespace keos {

class PageTable;

/// What a user-memory access wants to do.
enum class Access { kRead, kWrite };

/// What a user thread runs on behalf of (see the file comment). Owned by its thread.
class Task {
 public:
  /// Releases the task's resources; runs after its thread is off every CPU.
  virtual ~Task() = default;

  /// The address space to load while the thread runs.
  virtual PageTable& page_table() = 0;
  /// Handles the system call in `regs` (number in rax, arguments in rdi, rsi, rdx, r10,
  /// r8, r9) and writes the result into regs.rax.
  virtual void syscall(Registers& regs) = 0;
  /// Resolves a page fault at `address` (error code as pushed by the CPU). An error means
  /// the access is illegal: from ring 3 the thread ends with -1, from a kernel copy to or
  /// from user memory the copy fails with EFAULT.
  virtual Result<void> page_fault(std::uint64_t error_code, Va address) = 0;
  /// True if the task allows `access` to every byte of [address, address + len).
  virtual bool access_ok(Va address, std::uint64_t len, Access access) = 0;
};

}  // namespace keos
