#include <keos/syscall/uaccess.hpp>

#include <abyss/cpu.hpp>
#include <keos/mm/page_table.hpp>
#include <keos/task.hpp>
#include <keos/thread/thread.hpp>

extern "C" std::size_t keos_user_copy(void* dst, const void* src, std::size_t len);

namespace {

struct ExtableEntry {
  std::uint64_t instruction;
  std::uint64_t fixup;
};

}  // namespace

extern "C" const ExtableEntry __keos_extable_start[], __keos_extable_end[];

namespace keos {
namespace {

Result<void> check(Va va, std::size_t len, Access access) {
  Task* task = Current::task();
  if (task == nullptr || va.value() == 0 || !is_user_range(va, len)) {
    return Err(KernelError::kBadAddress);
  }
  if (!task->access_ok(va, len, access)) return Err(KernelError::kBadAddress);
  return Ok();
}

void* user_ptr(Va va) { return reinterpret_cast<void*>(va.value()); }

}  // namespace

Result<void> copy_from_user(void* dst, Va src, std::size_t len) {
  TRY(check(src, len, Access::kRead));
  if (keos_user_copy(dst, user_ptr(src), len) != 0) return Err(KernelError::kBadAddress);
  return Ok();
}

Result<void> copy_to_user(Va dst, const void* src, std::size_t len) {
  TRY(check(dst, len, Access::kWrite));
  if (keos_user_copy(user_ptr(dst), src, len) != 0) return Err(KernelError::kBadAddress);
  return Ok();
}

Result<std::size_t> copy_string_from_user(char* dst, Va src, std::size_t cap) {
  for (std::size_t i = 0; i < cap; ++i) {
    TRY(check(src + i, 1, Access::kRead));
    if (keos_user_copy(dst + i, user_ptr(src + i), 1) != 0) return Err(KernelError::kBadAddress);
    if (dst[i] == '\0') return i;
  }
  if (cap != 0) dst[cap - 1] = '\0';
  return Err(KernelError::kNameTooLong);
}

bool handle_kernel_fault(abyss::TrapFrame& frame) {
  if (frame.vector == static_cast<std::uint64_t>(abyss::Vector::kPageFault)) {
    std::uint64_t address = abyss::cpu::read_cr2();
    Task* task = Current::task();
    if (address < kUserEnd && task != nullptr) {
      // The kernel touched user memory (a copy in a system call): the task decides, as
      // for a fault from ring 3. It may sleep, so interrupts go back on if they were.
      if (frame.rflags & abyss::cpu::kRflagsIf) abyss::cpu::enable_interrupts();
      if (task->page_fault(frame.error_code, Va(address)).is_ok()) return true;
    }
  }
  for (const ExtableEntry* e = __keos_extable_start; e != __keos_extable_end; ++e) {
    if (e->instruction == frame.rip) {
      frame.rip = e->fixup;
      return true;
    }
  }
  return false;
}

}  // namespace keos
