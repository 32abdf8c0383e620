/// \file
/// Access to user memory from the kernel (system-call arguments and buffers).
///
/// Each function first asks the running thread's task whether the whole range may be
/// accessed (Task::access_ok), then copies. A page fault during the copy goes to the task
/// like a fault from ring 3 (demand paging and copy-on-write happen here too; CR0.WP makes
/// kernel writes to read-only user pages fault); a fault the task cannot resolve makes the
/// copy fail with kBadAddress instead of ending the process or the kernel. A null pointer,
/// a kernel address or a thread without a task is kBadAddress, even for length 0.
#pragma once

#include <cstddef>
#include <cstdint>

#include <abyss/trap.hpp>
#include <keos/addressing.hpp>
#include <keos/result.hpp>

namespace keos {

/// Copies `len` bytes from user address `src` into kernel buffer `dst`; kBadAddress (see
/// the file comment). After an error `dst` may hold part of the data.
Result<void> copy_from_user(void* dst, Va src, std::size_t len);
/// Copies `len` bytes from kernel buffer `src` to user address `dst`; kBadAddress (see
/// the file comment). After an error part of the data may have been written.
Result<void> copy_to_user(Va dst, const void* src, std::size_t len);
/// Copies a NUL-terminated string of at most `cap - 1` characters into `dst`; returns its
/// length. kNameTooLong if no NUL comes within `cap` bytes.
Result<std::size_t> copy_string_from_user(char* dst, Va src, std::size_t cap);

/// The kernel-fault hook: resolves a ring-0 fault on user memory through the task, or
/// resumes a faulting user copy at its fixup. Installed at boot.
bool handle_kernel_fault(abyss::TrapFrame& frame);

}  // namespace keos
