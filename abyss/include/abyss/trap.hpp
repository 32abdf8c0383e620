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
struct TrapFrame {
  std::uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
  std::uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
  std::uint64_t vector;
  std::uint64_t error_code;  ///< 0 for vectors without one
  // pushed by the CPU
  std::uint64_t rip, cs, rflags, rsp, ss;

  bool from_user() const { return (cs & 3) == 3; }
};
static_assert(sizeof(TrapFrame) == 22 * 8);

enum class Vector : std::uint8_t {
  kDivide = 0,
  kDebug = 1,
  kNmi = 2,
  kBreakpoint = 3,
  kOverflow = 4,
  kBoundRange = 5,
  kInvalidOpcode = 6,
  kDeviceNotAvailable = 7,
  kDoubleFault = 8,
  kInvalidTss = 10,
  kSegmentNotPresent = 11,
  kStackFault = 12,
  kGeneralProtection = 13,
  kPageFault = 14,
  kX87 = 16,
  kAlignmentCheck = 17,
  kMachineCheck = 18,
  kSimd = 19,
  kVirtualization = 20,
  kControlProtection = 21,
  // Interrupts.
  kLegacyPicBase = 0x20,  ///< the 8259s are remapped here and masked
  kTimer = 0x40,
  kTestIpi = 0x41,
  kTlbShootdown = 0x42,
  kReschedule = 0x43,
  kSpurious = 0xff,
};

inline constexpr std::uint64_t kExceptionCount = 32;

/// Page-fault error-code bits.
inline constexpr std::uint64_t kPfPresent = 1 << 0;
inline constexpr std::uint64_t kPfWrite = 1 << 1;
inline constexpr std::uint64_t kPfUser = 1 << 2;
inline constexpr std::uint64_t kPfReserved = 1 << 3;
inline constexpr std::uint64_t kPfInstruction = 1 << 4;

/// The name of an exception vector ("page fault"), or "interrupt".
const char* vector_name(std::uint64_t vector);

/// An interrupt handler; runs with interrupts disabled. The EOI is sent by the dispatcher.
using InterruptHandler = void (*)(TrapFrame& frame);
/// Installs the handler for interrupt vector `vector` (>= 32).
void register_interrupt(Vector vector, InterruptHandler handler);

/// Handles an exception raised in ring 3. Returns when the frame may be resumed.
using UserExceptionHook = void (*)(TrapFrame& frame);
void set_user_exception_hook(UserExceptionHook hook);

/// Gets a chance to resolve an exception raised in ring 0 (e.g. a page fault on a user
/// address during a system call); returns true if it did and the frame may be resumed.
using KernelFaultHook = bool (*)(TrapFrame& frame);
void set_kernel_fault_hook(KernelFaultHook hook);

/// Builds the IDT (once, on the bootstrap processor).
void idt_init();
/// Loads the IDT on this CPU.
void idt_load();

}  // namespace abyss

/// Called by the assembly stubs.
extern "C" void abyss_trap_dispatch(abyss::TrapFrame* frame);
