/// \file
/// Thin wrappers over x86-64 instructions: port I/O, MSRs, control registers, CPUID,
/// interrupt flag, TSC. Everything here is a single instruction or close to it.
#pragma once

#include <cstdint>

namespace abyss::cpu {

inline void outb(std::uint16_t port, std::uint8_t v) {
  asm volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}
inline void outw(std::uint16_t port, std::uint16_t v) {
  asm volatile("outw %0, %1" ::"a"(v), "Nd"(port));
}
inline void outl(std::uint16_t port, std::uint32_t v) {
  asm volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}
inline std::uint8_t inb(std::uint16_t port) {
  std::uint8_t v;
  asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
  return v;
}
inline std::uint16_t inw(std::uint16_t port) {
  std::uint16_t v;
  asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
  return v;
}

inline std::uint64_t rdmsr(std::uint32_t msr) {
  std::uint32_t lo, hi;
  asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
  return (static_cast<std::uint64_t>(hi) << 32) | lo;
}
inline void wrmsr(std::uint32_t msr, std::uint64_t v) {
  asm volatile("wrmsr" ::"c"(msr), "a"(static_cast<std::uint32_t>(v)),
               "d"(static_cast<std::uint32_t>(v >> 32))
               : "memory");
}

namespace msr {
inline constexpr std::uint32_t kApicBase = 0x1b;
inline constexpr std::uint32_t kEfer = 0xc0000080;
inline constexpr std::uint32_t kStar = 0xc0000081;
inline constexpr std::uint32_t kLstar = 0xc0000082;
inline constexpr std::uint32_t kSfmask = 0xc0000084;
inline constexpr std::uint32_t kFsBase = 0xc0000100;
inline constexpr std::uint32_t kGsBase = 0xc0000101;
inline constexpr std::uint32_t kKernelGsBase = 0xc0000102;
}  // namespace msr

struct CpuidResult {
  std::uint32_t eax, ebx, ecx, edx;
};
inline CpuidResult cpuid(std::uint32_t leaf, std::uint32_t subleaf = 0) {
  CpuidResult r;
  asm volatile("cpuid"
               : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
               : "a"(leaf), "c"(subleaf));
  return r;
}

inline std::uint64_t read_cr0() {
  std::uint64_t v;
  asm volatile("mov %%cr0, %0" : "=r"(v));
  return v;
}
inline std::uint64_t read_cr2() {
  std::uint64_t v;
  asm volatile("mov %%cr2, %0" : "=r"(v));
  return v;
}
inline std::uint64_t read_cr3() {
  std::uint64_t v;
  asm volatile("mov %%cr3, %0" : "=r"(v));
  return v;
}
inline void write_cr3(std::uint64_t v) { asm volatile("mov %0, %%cr3" ::"r"(v) : "memory"); }
inline std::uint64_t read_cr4() {
  std::uint64_t v;
  asm volatile("mov %%cr4, %0" : "=r"(v));
  return v;
}
inline void write_cr4(std::uint64_t v) { asm volatile("mov %0, %%cr4" ::"r"(v) : "memory"); }
inline void invlpg(std::uint64_t va) { asm volatile("invlpg (%0)" ::"r"(va) : "memory"); }

inline std::uint64_t read_rflags() {
  std::uint64_t v;
  asm volatile("pushfq; popq %0" : "=r"(v));
  return v;
}
inline constexpr std::uint64_t kRflagsIf = 1 << 9;

inline bool interrupts_enabled() { return read_rflags() & kRflagsIf; }
inline void disable_interrupts() { asm volatile("cli" ::: "memory"); }
inline void enable_interrupts() { asm volatile("sti" ::: "memory"); }
inline void halt() { asm volatile("hlt" ::: "memory"); }
/// Enables interrupts and halts in one step, so an interrupt cannot slip in between.
inline void enable_interrupts_and_halt() { asm volatile("sti; hlt" ::: "memory"); }
inline void pause() { asm volatile("pause" ::: "memory"); }

/// Reads the time-stamp counter, ordered against the surrounding instructions.
inline std::uint64_t rdtsc() {
  std::uint32_t lo, hi;
  asm volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi)::"memory");
  return (static_cast<std::uint64_t>(hi) << 32) | lo;
}

inline std::uint64_t read_rbp() {
  std::uint64_t v;
  asm volatile("mov %%rbp, %0" : "=r"(v));
  return v;
}

/// Disables interrupts for its lifetime and restores the previous state afterwards.
class InterruptGuard {
 public:
  InterruptGuard() : was_enabled_(interrupts_enabled()) { disable_interrupts(); }
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
