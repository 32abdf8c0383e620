/// \file
/// Thin wrappers over x86-64 instructions: port I/O, MSRs, control registers, CPUID,
/// interrupt flag, TSC. Everything here is a single instruction or close to it.
#pragma once

#include <cstdint>

/// Single x86-64 instructions as functions.
namespace abyss::cpu {

/// Writes byte `v` to I/O port `port`.
inline void outb(std::uint16_t port, std::uint8_t v) {
  asm volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}
/// Writes 16-bit `v` to I/O port `port`.
inline void outw(std::uint16_t port, std::uint16_t v) {
  asm volatile("outw %0, %1" ::"a"(v), "Nd"(port));
}
/// Writes 32-bit `v` to I/O port `port`.
inline void outl(std::uint16_t port, std::uint32_t v) {
  asm volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}
/// Reads a byte from I/O port `port`.
inline std::uint8_t inb(std::uint16_t port) {
  std::uint8_t v;
  asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
  return v;
}
/// Reads 16 bits from I/O port `port`.
inline std::uint16_t inw(std::uint16_t port) {
  std::uint16_t v;
  asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
  return v;
}

/// Reads model-specific register `msr` (see the msr namespace).
inline std::uint64_t rdmsr(std::uint32_t msr) {
  std::uint32_t lo, hi;
  asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
  return (static_cast<std::uint64_t>(hi) << 32) | lo;
}
/// Writes `v` to model-specific register `msr`.
inline void wrmsr(std::uint32_t msr, std::uint64_t v) {
  asm volatile("wrmsr" ::"c"(msr), "a"(static_cast<std::uint32_t>(v)),
               "d"(static_cast<std::uint32_t>(v >> 32))
               : "memory");
}

/// The numbers of the model-specific registers the kernel uses.
namespace msr {
inline constexpr std::uint32_t kApicBase = 0x1b;           ///< local APIC base and mode
inline constexpr std::uint32_t kEfer = 0xc0000080;         ///< long mode, NX, `syscall` enable
inline constexpr std::uint32_t kStar = 0xc0000081;         ///< `syscall`/`sysret` segments
inline constexpr std::uint32_t kLstar = 0xc0000082;        ///< `syscall` entry point
inline constexpr std::uint32_t kSfmask = 0xc0000084;       ///< RFLAGS bits `syscall` clears
inline constexpr std::uint32_t kFsBase = 0xc0000100;       ///< FS base
inline constexpr std::uint32_t kGsBase = 0xc0000101;       ///< GS base in use
inline constexpr std::uint32_t kKernelGsBase = 0xc0000102; ///< GS base `swapgs` swaps in
}  // namespace msr

/// The four registers CPUID returns.
struct CpuidResult {
  std::uint32_t eax,  ///< EAX after CPUID
      ebx,            ///< EBX after CPUID
      ecx,            ///< ECX after CPUID
      edx;            ///< EDX after CPUID
};
/// Runs CPUID for `leaf` and `subleaf`.
inline CpuidResult cpuid(std::uint32_t leaf, std::uint32_t subleaf = 0) {
  CpuidResult r;
  asm volatile("cpuid"
               : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
               : "a"(leaf), "c"(subleaf));
  return r;
}

/// Reads CR0.
inline std::uint64_t read_cr0() {
  std::uint64_t v;
  asm volatile("mov %%cr0, %0" : "=r"(v));
  return v;
}
/// Reads CR2 (the address of the last page fault).
inline std::uint64_t read_cr2() {
  std::uint64_t v;
  asm volatile("mov %%cr2, %0" : "=r"(v));
  return v;
}
/// Reads CR3 (the physical address of the loaded PML4, plus flag bits).
inline std::uint64_t read_cr3() {
  std::uint64_t v;
  asm volatile("mov %%cr3, %0" : "=r"(v));
  return v;
}
/// Loads CR3: switches address space and flushes the non-global TLB entries.
inline void write_cr3(std::uint64_t v) { asm volatile("mov %0, %%cr3" ::"r"(v) : "memory"); }
/// Reads CR4.
inline std::uint64_t read_cr4() {
  std::uint64_t v;
  asm volatile("mov %%cr4, %0" : "=r"(v));
  return v;
}
/// Writes CR4.
inline void write_cr4(std::uint64_t v) { asm volatile("mov %0, %%cr4" ::"r"(v) : "memory"); }
/// Drops this CPU's TLB entry for virtual address `va` (this CPU only).
inline void invlpg(std::uint64_t va) { asm volatile("invlpg (%0)" ::"r"(va) : "memory"); }

/// Reads RFLAGS.
inline std::uint64_t read_rflags() {
  std::uint64_t v;
  asm volatile("pushfq; popq %0" : "=r"(v));
  return v;
}
/// The interrupt-enable flag of RFLAGS.
inline constexpr std::uint64_t kRflagsIf = 1 << 9;

/// True if this CPU accepts maskable interrupts.
inline bool interrupts_enabled() { return read_rflags() & kRflagsIf; }
/// `cli`: masks interrupts on this CPU.
inline void disable_interrupts() { asm volatile("cli" ::: "memory"); }
/// `sti`: unmasks interrupts on this CPU.
inline void enable_interrupts() { asm volatile("sti" ::: "memory"); }
/// `hlt`: sleeps until the next interrupt (for ever if interrupts are masked).
inline void halt() { asm volatile("hlt" ::: "memory"); }
/// Enables interrupts and halts in one step, so an interrupt cannot slip in between.
inline void enable_interrupts_and_halt() { asm volatile("sti; hlt" ::: "memory"); }
/// `pause`: the spin-wait hint. Spin loops should call abyss::cpu_relax() instead.
inline void pause() { asm volatile("pause" ::: "memory"); }

/// Reads the time-stamp counter, ordered against the surrounding instructions.
inline std::uint64_t rdtsc() {
  std::uint32_t lo, hi;
  asm volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi)::"memory");
  return (static_cast<std::uint64_t>(hi) << 32) | lo;
}

/// The caller's frame pointer (RBP), to start a backtrace.
inline std::uint64_t read_rbp() {
  std::uint64_t v;
  asm volatile("mov %%rbp, %0" : "=r"(v));
  return v;
}

/// Disables interrupts for its lifetime and restores the previous state afterwards.
class InterruptGuard {
 public:
  /// Notes whether interrupts are on, then disables them.
  InterruptGuard() : was_enabled_(interrupts_enabled()) { disable_interrupts(); }
  /// Enables interrupts again if they were on when the guard was made.
  ~InterruptGuard() {
    if (was_enabled_) enable_interrupts();
  }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  bool was_enabled_;
};

/// Stops this CPU for good.
[[noreturn]] inline void halt_forever() {
  for (;;) asm volatile("cli; hlt");
}

}  // namespace abyss::cpu
