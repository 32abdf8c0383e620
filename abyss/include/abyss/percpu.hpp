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

inline constexpr std::uint32_t kMaxCpus = 64;

/// The 64-bit task-state segment: stack pointers for ring changes and the IST stacks.
struct [[gnu::packed]] Tss {
  std::uint32_t reserved0;
  std::uint64_t rsp[3];
  std::uint64_t reserved1;
  std::uint64_t ist[7];
  std::uint64_t reserved2;
  std::uint16_t reserved3;
  std::uint16_t iomap_base;
};
static_assert(sizeof(Tss) == 104);

/// Interrupt-stack-table slots (1-based, as in the IDT).
enum class Ist : std::uint8_t { kNone = 0, kDoubleFault = 1, kNmi = 2, kMachineCheck = 3 };
inline constexpr int kIstCount = 3;
inline constexpr std::size_t kIstStackSize = 8192;

struct alignas(64) Cpu {
  Cpu* self = nullptr;                 ///< gs:0
  std::uint64_t user_rsp_scratch = 0;  ///< gs:8, the system-call entry parks the user RSP here
  std::uint64_t kernel_stack_top = 0;  ///< gs:16, RSP on entry from ring 3 (= tss.rsp[0])
  std::uint32_t id = 0;                ///< 0 is the bootstrap processor
  std::uint32_t apic_id = 0;
  std::atomic<bool> online{false};
  std::atomic<std::uint64_t> timer_ticks{0};
  std::atomic<std::uint64_t> test_ipis{0};  ///< interrupts of Vector::kTestIpi received
  void* kernel_data = nullptr;              ///< the kernel layer's per-CPU record
  std::uint64_t gdt[7] = {};                ///< null, kcode, kdata, udata, ucode, tss (2 slots)
  Tss tss = {};
};
static_assert(offsetof(Cpu, self) == 0);
static_assert(offsetof(Cpu, user_rsp_scratch) == 8);
static_assert(offsetof(Cpu, kernel_stack_top) == 16);

/// The record of the CPU running this code.
inline Cpu& this_cpu() {
  Cpu* self;
  asm volatile("mov %%gs:0, %0" : "=r"(self));
  return *self;
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
