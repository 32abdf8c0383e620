// A process as a Task: what the thread that runs it asks of it. Its system calls are in
// syscalls.cpp, its creation in loader.cpp, fork in fork.cpp.
#include <keos/process/process.hpp>

#include <abyss/console.hpp>

namespace keos {

Result<void> Process::page_fault(std::uint64_t error_code, Va address) {
  // The same fault over and over, with no system call in between, means the handler
  // reports success without changing what made the access fault (a fault it should have
  // refused, or a copy-on-write that did not give the write right): end the process
  // instead of letting it spin until its test times out.
  if (address.page_down() == last_fault_.page_down() && error_code == last_error_code_) {
    if (++fault_repeats_ >= kMaxFaultRepeats) {
      abyss::log::info(
          "process '%s': the fault at 0x%lx (error code 0x%lx) came back %u times "
          "although it was reported resolved; ending the process",
          Current::name(), address.value(), error_code, fault_repeats_);
      fault_repeats_ = 0;
      return Err(KernelError::kBadAddress);
    }
  } else {
    last_fault_ = address;
    last_error_code_ = error_code;
    fault_repeats_ = 0;
  }
  PageFaultReason reason = PageFaultReason::from_error_code(error_code, address);
  return mm_.pager().handle_page_fault(mm_.page_table(), reason);
}

}  // namespace keos
