// A process as a Task: what the thread that runs it asks of it. Its system calls are in
// syscalls.cpp, its creation in loader.cpp, fork in fork.cpp.
#include <keos/process/process.hpp>

namespace keos {

Result<void> Process::page_fault(std::uint64_t error_code, Va address) {
  PageFaultReason reason = PageFaultReason::from_error_code(error_code, address);
  return mm_.pager().handle_page_fault(mm_.page_table(), reason);
}

}  // namespace keos
