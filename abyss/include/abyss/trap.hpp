/// \file
/// Traps: CPU exceptions, interrupts and their dispatch.
///
/// Every vector enters through an assembly stub that saves all general-purpose registers
/// into a TrapFrame on the current stack and calls trap_dispatch. Exceptions from ring 3 go
/// to the user-exception hook (the kernel layer ends the process); exceptions in ring 0 go to
/// the kernel-fault hook and, if it does not resolve them, panic with a full report.
#pragma once

#include <cstdint>

namespace abyss {

/// The registers saved on entry, in stack order (lowest address first).
/// The general-purpose registers are saved by the stub; vector and error code by the stub
/// or the CPU; rip, cs, rflags, rsp and ss by the CPU. A handler may change any field:
/// the stub restores the registers from the frame when it returns (`iretq`).
struct TrapFrame {
  std::uint64_t r15,  ///< R15 at the trap
      r14,            ///< R14 at the trap
      r13,            ///< R13 at the trap
      r12,            ///< R12 at the trap
      r11,            ///< R11 at the trap (RFLAGS after `syscall`)
      r10,            ///< R10 at the trap (system-call argument 3)
      r9,             ///< R9 at the trap (system-call argument 5)
      r8;             ///< R8 at the trap (system-call argument 4)
  std::uint64_t rbp,  ///< RBP at the trap (the frame pointer)
      rdi,            ///< RDI at the trap (system-call argument 0)
      rsi,            ///< RSI at the trap (system-call argument 1)
      rdx,            ///< RDX at the trap (system-call argument 2)
      rcx,            ///< RCX at the trap (the return RIP after `syscall`)
      rbx,            ///< RBX at the trap
      rax;            ///< RAX at the trap (system-call number in, result out)
  std::uint64_t vector;      ///< which Vector was taken
  std::uint64_t error_code;  ///< 0 for vectors without one
  // pushed by the CPU
  std::uint64_t rip,  ///< the instruction to resume (pushed by the CPU)
      cs,             ///< code selector; its low two bits are the privilege level
      rflags,         ///< RFLAGS at the trap
      rsp,            ///< the stack pointer at the trap
      ss;             ///< stack selector

  /// True if the trap came from ring 3.
  bool from_user() const { return (cs & 3) == 3; }
};
static_assert(sizeof(TrapFrame) == 22 * 8);

/// Interrupt vectors: the CPU's exceptions (0-31) and the kernel's interrupts.
enum class Vector : std::uint8_t {
  kDivide = 0,               ///< \#DE, divide error
  kDebug = 1,                ///< \#DB, debug
  kNmi = 2,                  ///< non-maskable interrupt (panic stops other CPUs with it)
  kBreakpoint = 3,           ///< \#BP, `int3`
  kOverflow = 4,             ///< \#OF, `into`
  kBoundRange = 5,           ///< \#BR, bound range exceeded
  kInvalidOpcode = 6,        ///< \#UD, invalid opcode (also `ud2`)
  kDeviceNotAvailable = 7,   ///< \#NM, FPU not available
  kDoubleFault = 8,          ///< \#DF, a fault while delivering a fault
  kInvalidTss = 10,          ///< \#TS, invalid TSS
  kSegmentNotPresent = 11,   ///< \#NP, segment not present
  kStackFault = 12,          ///< \#SS, stack-segment fault
  kGeneralProtection = 13,   ///< \#GP, general protection (e.g. a non-canonical address)
  kPageFault = 14,           ///< \#PF, page fault (address in CR2, reason in the error code)
  kX87 = 16,                 ///< \#MF, x87 floating-point error
  kAlignmentCheck = 17,      ///< \#AC, alignment check
  kMachineCheck = 18,        ///< \#MC, machine check
  kSimd = 19,                ///< \#XM, SIMD floating-point exception
  kVirtualization = 20,      ///< \#VE, virtualization exception
  kControlProtection = 21,   ///< \#CP, control-protection exception
  kLegacyPicBase = 0x20,  ///< the 8259s are remapped here and masked
  kTimer = 0x40,          ///< the local-APIC timer
  kTestIpi = 0x41,        ///< an IPI the tests send (counted in Cpu::test_ipis)
  kTlbShootdown = 0x42,   ///< a TLB-shootdown request waits in this CPU's mailbox
  kReschedule = 0x43,     ///< a thread became runnable: pick again
  kSpurious = 0xff,       ///< the local APIC's spurious vector (ignored)
};

/// Vectors below this are exceptions; the rest are interrupts.
inline constexpr std::uint64_t kExceptionCount = 32;

/// Page-fault error-code bit: the page was present (the access broke its rights).
inline constexpr std::uint64_t kPfPresent = 1 << 0;
/// Page-fault error-code bit: the access was a write.
inline constexpr std::uint64_t kPfWrite = 1 << 1;
/// Page-fault error-code bit: the access came from ring 3.
inline constexpr std::uint64_t kPfUser = 1 << 2;
/// Page-fault error-code bit: a reserved bit was set in a paging entry.
inline constexpr std::uint64_t kPfReserved = 1 << 3;
/// Page-fault error-code bit: the access was an instruction fetch.
inline constexpr std::uint64_t kPfInstruction = 1 << 4;

/// The name of an exception vector ("page fault"), or "interrupt".
const char* vector_name(std::uint64_t vector);

/// An interrupt handler; runs with interrupts disabled. The EOI is sent by the dispatcher.
using InterruptHandler = void (*)(TrapFrame& frame);
/// Installs the handler for interrupt vector `vector` (>= 32).
void register_interrupt(Vector vector, InterruptHandler handler);

/// Handles an exception raised in ring 3. Returns when the frame may be resumed.
using UserExceptionHook = void (*)(TrapFrame& frame);
/// Installs the user-exception hook (once, at boot).
void set_user_exception_hook(UserExceptionHook hook);

/// Gets a chance to resolve an exception raised in ring 0 (e.g. a page fault on a user
/// address during a system call); returns true if it did and the frame may be resumed.
using KernelFaultHook = bool (*)(TrapFrame& frame);
/// Installs the kernel-fault hook (once, at boot).
void set_kernel_fault_hook(KernelFaultHook hook);

/// Builds the IDT (once, on the bootstrap processor).
void idt_init();
/// Loads the IDT on this CPU.
void idt_load();

}  // namespace abyss

/// The common trap handler, called by the assembly stubs with the saved frame: routes
/// interrupts to their handlers and exceptions to the hooks or to a panic.
extern "C" void abyss_trap_dispatch(abyss::TrapFrame* frame);
