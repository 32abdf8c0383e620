// The kernel side of ring 3: `syscall` set-up and dispatch, the exceptions user code
// raises, and the first entry into user mode.
#include <abyss/console.hpp>
#include <abyss/cpu.hpp>
#include <abyss/gdt.hpp>
#include <keos/syscall/registers.hpp>
#include <keos/task.hpp>
#include <keos/thread/thread.hpp>

extern "C" void keos_syscall_entry();
extern "C" [[noreturn]] void keos_enter_user(const keos::Registers* regs);

namespace keos {
namespace {

constexpr std::uint64_t kUserRflags = 0x202;  // IF, and the always-one bit
// Cleared on `syscall`: IF (no interrupt before the stack switch), TF, DF, AC, NT.
constexpr std::uint64_t kSyscallMask = (1 << 9) | (1 << 8) | (1 << 10) | (1 << 18) | (1 << 14);

// Ends the running thread if it was killed; called on every way back to ring 3.
void exit_if_killed() {
  if (Current::killed()) Current::exit(kKilledExitCode);
}

// Ends the running thread for an exception it cannot survive; `error` says why a page
// fault could not be resolved (nullptr for any other exception). Apart from
// handle_user_exception so that the common path there stays short.
[[noreturn, gnu::noinline, gnu::cold]] void end_for_exception(const abyss::TrapFrame& frame,
                                                              std::uint64_t address,
                                                              const char* error) {
  if (error != nullptr) {
    abyss::log::info("thread %lu (%s): page fault at 0x%lx (rip 0x%lx, error 0x%lx): %s: exit -1",
                     Current::id(), Current::name(), address, frame.rip, frame.error_code, error);
  } else {
    abyss::log::info("thread %lu (%s): %s at rip 0x%lx: exit -1", Current::id(), Current::name(),
                     abyss::vector_name(frame.vector), frame.rip);
  }
  Current::exit(-1);
}

UserFaultObserver g_fault_observer = nullptr;  // set once, before the observed hook

// The ring-3 exception path. Two copies: the plain one that every boot installs, and one
// that also tells g_fault_observer about each page fault before and after the task
// handles it (make memmap). The copy is chosen once, at boot, so that the plain path,
// which the benchmarks count in instructions, has no test for an observer at all.
template <bool kObserved>
void handle_user_exception(abyss::TrapFrame& frame) {
  // CR2 first, while interrupts are still off: once they are on, this thread can be
  // preempted, and another thread's page fault on this CPU (or a move to another CPU)
  // would leave a different address in CR2.
  std::uint64_t address = abyss::cpu::read_cr2();
  abyss::cpu::enable_interrupts();  // ring 3 always runs with interrupts on
  Task* task = Current::task();
  auto vector = static_cast<abyss::Vector>(frame.vector);
  if (vector != abyss::Vector::kPageFault || task == nullptr) {
    end_for_exception(frame, address, nullptr);
  }
  if constexpr (kObserved) {
    g_fault_observer(*task, frame.error_code, Va(address), FaultPhase::kBefore, true);
  }
  Result<void> resolved = task->page_fault(frame.error_code, Va(address));
  if constexpr (kObserved) {
    g_fault_observer(*task, frame.error_code, Va(address), FaultPhase::kAfter,
                     resolved.is_ok());
  }
  if (resolved.is_err()) end_for_exception(frame, address, error_name(resolved.error()));
  exit_if_killed();
}

}  // namespace

Registers user_registers(Va entry, Va stack) {
  Registers regs{};
  regs.rip = entry.value();
  regs.rsp = stack.value();
  regs.cs = abyss::kUserCs;
  regs.ss = abyss::kUserDs;
  regs.rflags = kUserRflags;
  return regs;
}

void launch(const Registers& regs) {
  KASSERT(Current::task() != nullptr);
  KASSERT((regs.cs & 3) == 3 && (regs.ss & 3) == 3);
  Registers copy = regs;
  copy.rflags = (copy.rflags & 0xcd5) | kUserRflags;  // arithmetic flags only, IF on
  keos_enter_user(&copy);
}

void init_user_mode() { abyss::set_user_exception_hook(handle_user_exception<false>); }

void observe_user_faults(UserFaultObserver observer) {
  KASSERT(observer != nullptr);
  g_fault_observer = observer;
  abyss::set_user_exception_hook(handle_user_exception<true>);
}

void init_user_mode_this_cpu() {
  using namespace abyss::cpu;
  // STAR: kernel CS in 47:32; 63:48 is the base sysret would use (user DS = base + 8).
  wrmsr(msr::kStar, (static_cast<std::uint64_t>(abyss::kKernelCs) << 32) |
                        (static_cast<std::uint64_t>(abyss::kKernelDs | 3) << 48));
  wrmsr(msr::kLstar, reinterpret_cast<std::uint64_t>(&keos_syscall_entry));
  wrmsr(msr::kSfmask, kSyscallMask);
}

}  // namespace keos

extern "C" void keos_syscall_dispatch(keos::Registers* regs) {
  abyss::cpu::enable_interrupts();
  keos::Task* task = keos::Current::task();
  KASSERT(task != nullptr);  // only threads with a task ever run in ring 3
  task->syscall(*regs);
  if (keos::Current::killed()) keos::Current::exit(keos::kKilledExitCode);
}
