// A process as a Task: what the thread that runs it asks of it. Its system calls are in
// syscalls.cpp, its creation in loader.cpp, fork in fork.cpp.
#include <keos/process/process.hpp>

#include <abyss/console.hpp>

namespace keos {

namespace {

// Kept out of the fault path (which the benchmarks count in instructions).
[[gnu::cold, gnu::noinline]] Result<void> end_repeating_fault(std::uint64_t error_code,
                                                              Va address, unsigned times) {
  abyss::log::info(
      "process '%s': the fault at 0x%lx (error code 0x%lx) came back %u times although "
      "it was reported resolved; ending the process",
      Current::name(), address.value(), error_code, times);
  return Err(KernelError::kBadAddress);
}

}  // namespace

Result<void> Process::page_fault(std::uint64_t error_code, Va address) {
  // The same fault over and over, with no system call in between, means the handler
  // reports success without changing what made the access fault (a fault it should have
  // refused, or a copy-on-write that did not give the write right): end the process
  // instead of letting it spin until its test times out. A fault is its page and its
  // error code in one word (the page error code's bits all lie below bit 12: 0..6 and
  // the SGX bit 15, which this kernel never sees).
  std::uint64_t key = address.page_down().value() | error_code;
  if (key == last_fault_) [[unlikely]] {
    if (++fault_repeats_ >= kMaxFaultRepeats) {
      fault_repeats_ = 0;
      return end_repeating_fault(error_code, address, kMaxFaultRepeats);
    }
  } else {
    last_fault_ = key;
    fault_repeats_ = 0;
  }
  PageFaultReason reason = PageFaultReason::from_error_code(error_code, address);
  return mm_.pager().handle_page_fault(mm_.page_table(), reason);
}

}  // namespace keos
