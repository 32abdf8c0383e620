/// \file
/// Per-CPU data. Each CPU owns one `Cpu` record; while the CPU runs kernel code its GS base
/// points at it, so `this_cpu()` is a single `mov %gs:0`. User code never sees it: the
/// kernel GS base is swapped in (`swapgs`) on every entry from ring 3 and out on every
/// return, CR4.FSGSBASE stays off so ring 3 cannot write GS base, and the entry paths for
/// NMI, double fault and machine check read the GS MSR instead of trusting the saved CS.
/// Fields read by assembly sit at fixed offsets checked below.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace abyss {

/// The most CPUs the kernel runs on; further CPUs the firmware lists stay off.
inline constexpr std::uint32_t kMaxCpus = 64;

/// The 64-bit task-state segment: stack pointers for ring changes and the IST stacks.
struct [[gnu::packed]] Tss {
  std::uint32_t reserved0;   ///< reserved, 0
  std::uint64_t rsp[3];      ///< stack on entry to ring 0, 1, 2 (only rsp[0] is used)
  std::uint64_t reserved1;   ///< reserved, 0
  std::uint64_t ist[7];      ///< interrupt-stack-table stacks (slot n is ist[n - 1])
  std::uint64_t reserved2;   ///< reserved, 0
  std::uint16_t reserved3;   ///< reserved, 0
  std::uint16_t iomap_base;  ///< offset of the I/O permission map (past the end: none)
};
static_assert(sizeof(Tss) == 104);

/// Interrupt-stack-table slots (1-based, as in the IDT).
enum class Ist : std::uint8_t {
  kNone = 0,         ///< no IST: the handler runs on the current (or ring-0) stack
  kDoubleFault = 1,  ///< double fault: the kernel stack may be the problem
  kNmi = 2,          ///< NMI: may arrive at any instruction
  kMachineCheck = 3  ///< machine check: may arrive at any instruction
};
/// How many IST stacks each CPU has.
inline constexpr int kIstCount = 3;
/// The size of each IST stack.
inline constexpr std::size_t kIstStackSize = 8192;

/// The per-CPU record. Owned by its CPU; fields other CPUs read are atomic.
struct alignas(64) Cpu {
  Cpu* self = nullptr;                 ///< gs:0
  std::uint64_t user_rsp_scratch = 0;  ///< gs:8, the system-call entry parks the user RSP here
  std::uint64_t kernel_stack_top = 0;  ///< gs:16, RSP on entry from ring 3 (= tss.rsp[0])
  void* current_thread = nullptr;      ///< gs:24, the kernel layer's running thread (opaque)
  std::uint32_t id = 0;                ///< 0 is the bootstrap processor
  std::uint32_t apic_id = 0;           ///< the local APIC id (IPIs are addressed by it)
  std::atomic<bool> online{false};     ///< set by the CPU once it is fully set up
  std::atomic<std::uint64_t> timer_ticks{0};  ///< timer interrupts this CPU has taken
  std::atomic<std::uint64_t> test_ipis{0};    ///< interrupts of Vector::kTestIpi received
  std::uint64_t gdt[7] = {};                  ///< null, kcode, kdata, udata, ucode, tss (2 slots)
  Tss tss = {};                               ///< this CPU's task-state segment
};
static_assert(offsetof(Cpu, self) == 0);
static_assert(offsetof(Cpu, user_rsp_scratch) == 8);
static_assert(offsetof(Cpu, kernel_stack_top) == 16);
static_assert(offsetof(Cpu, current_thread) == 24);

/// The record of the CPU running this code.
inline Cpu& this_cpu() {
  Cpu* self;
  asm volatile("mov %%gs:0, %0" : "=r"(self));
  return *self;
}
/// This CPU's `current_thread`, in one instruction. The compiler may reuse an earlier
/// read: whichever CPU the caller has moved to since, the thread running it is the same.
/// (Only the code that switches threads sees the value change; it uses this_cpu().)
inline void* current_thread() {
  void* thread;
  asm("mov %%gs:24, %0" : "=r"(thread));
  return thread;
}
/// The id of the CPU running this code (0 .. cpu_count()-1).
inline std::uint32_t cpu_id() { return this_cpu().id; }

/// The record of CPU `id` (which must be below cpu_count()).
Cpu& cpu_record(std::uint32_t id);
/// How many CPUs are online.
std::uint32_t cpu_count();

/// Sets the kernel stack used on the next entry from ring 3 on this CPU.
void set_kernel_stack(std::uint64_t top);

}  // namespace abyss
