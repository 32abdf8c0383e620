#include <abyss/smp.hpp>

#include <atomic>

#include <abyss/apic.hpp>
#include <abyss/boot.hpp>
#include <abyss/console.hpp>
#include <abyss/cpu.hpp>
#include <abyss/gdt.hpp>
#include <abyss/panic.hpp>
#include <abyss/percpu.hpp>
#include <abyss/string.hpp>
#include <abyss/time.hpp>

extern "C" {
extern const unsigned char abyss_trampoline_start[], abyss_trampoline_end[];
extern const unsigned char abyss_trampoline_params[];
extern std::uint64_t abyss_boot_pml4[512];
extern const unsigned char abyss_boot_stack_top[];
}

namespace abyss {
namespace {

constexpr std::uint64_t kTrampolinePa = 0x8000;

struct TrampolineParams {  // mirrors the block at the end of boot/trampoline.asm
  std::uint64_t cr3;
  std::uint64_t stack_top;
  std::uint64_t entry;
  std::uint64_t arg;
};

constinit Cpu g_cpus[kMaxCpus];
std::atomic<std::uint32_t> g_cpu_count{1};
alignas(16) unsigned char g_bsp_ist[kIstCount][kIstStackSize];
std::uint64_t g_bsp_ist_tops[kIstCount];
std::uint64_t g_ist_tops[kMaxCpus][kIstCount];
std::atomic<bool> g_release{false};
smp::ApMain g_ap_main = nullptr;

void copy_trampoline() {
  std::size_t size = static_cast<std::size_t>(abyss_trampoline_end - abyss_trampoline_start);
  memcpy(phys_ptr(Pa(kTrampolinePa)), abyss_trampoline_start, size);
}

TrampolineParams* trampoline_params() {
  std::size_t offset = static_cast<std::size_t>(abyss_trampoline_params - abyss_trampoline_start);
  return phys_ptr<TrampolineParams>(Pa(kTrampolinePa + offset));
}

[[noreturn]] void ap_entry(Cpu* c) {
  cpu::wrmsr(cpu::msr::kGsBase, reinterpret_cast<std::uint64_t>(c));
  cpu::wrmsr(cpu::msr::kKernelGsBase, 0);
  gdt_init(*c, g_ist_tops[c->id]);
  idt_load();
  init_cpu_features();
  apic::init_ap();
  c->apic_id = apic::id();
  c->online.store(true, std::memory_order_release);
  while (!g_release.load(std::memory_order_acquire)) cpu::pause();
  cpu::write_cr3(cpu::read_cr3());  // drop TLB entries of the identity map
  time::start_timer_this_cpu();
  g_ap_main();
  panic("ap_main returned on cpu %u", c->id);
}

// Starts one AP and waits until it reports online.
void start_one(Cpu& c, smp::StackAllocator alloc) {
  auto* stack = static_cast<unsigned char*>(alloc(smp::kKernelStackSize));
  auto* ist = static_cast<unsigned char*>(alloc(kIstCount * kIstStackSize));
  if (stack == nullptr || ist == nullptr) panic("no memory for the stacks of cpu %u", c.id);
  for (int i = 0; i < kIstCount; ++i) {
    g_ist_tops[c.id][i] = reinterpret_cast<std::uint64_t>(ist + (i + 1) * kIstStackSize);
  }
  c.self = &c;
  c.kernel_stack_top = reinterpret_cast<std::uint64_t>(stack + smp::kKernelStackSize);

  TrampolineParams* params = trampoline_params();
  params->cr3 = to_pa(kva_of(abyss_boot_pml4)).value();
  params->stack_top = c.kernel_stack_top;
  params->entry = reinterpret_cast<std::uint64_t>(&ap_entry);
  params->arg = reinterpret_cast<std::uint64_t>(&c);
  std::atomic_thread_fence(std::memory_order_seq_cst);

  apic::send_ipi(c.apic_id, apic::Delivery::kInit, 0);
  time::delay_us(10000);
  for (int attempt = 0; attempt < 2; ++attempt) {
    apic::send_ipi(c.apic_id, apic::Delivery::kStartup,
                   static_cast<std::uint8_t>(kTrampolinePa >> 12));
    // The second wait is long: under emulation on a loaded host, an AP's thread may not
    // run for a good while (8 CPUs on 2 host cores timed out at 1 s).
    std::uint64_t deadline = time::now_ns() + (attempt == 0 ? 1'000'000 : 10'000'000'000);
    while (time::now_ns() < deadline) {
      if (c.online.load(std::memory_order_acquire)) return;
      cpu::pause();
    }
  }
  panic("cpu %u (APIC id %u) did not start", c.id, c.apic_id);
}

}  // namespace

Cpu& bsp_cpu_record() {
  Cpu& c = g_cpus[0];
  c.self = &c;
  c.id = 0;
  c.online.store(true);
  c.kernel_stack_top = reinterpret_cast<std::uint64_t>(abyss_boot_stack_top);
  return c;
}

const std::uint64_t (&bsp_ist_tops())[kIstCount] {
  for (int i = 0; i < kIstCount; ++i) {
    g_bsp_ist_tops[i] = reinterpret_cast<std::uint64_t>(g_bsp_ist[i] + kIstStackSize);
  }
  return g_bsp_ist_tops;
}

Cpu& cpu_record(std::uint32_t id) {
  KASSERT(id < g_cpu_count.load(std::memory_order_relaxed));
  return g_cpus[id];
}

std::uint32_t cpu_count() { return g_cpu_count.load(std::memory_order_acquire); }

std::uint32_t smp::start_aps(StackAllocator alloc, ApMain ap_main) {
  g_ap_main = ap_main;
  const AcpiInfo& acpi = acpi_info();
  copy_trampoline();
  std::uint32_t bsp_apic = this_cpu().apic_id;
  std::uint32_t next = 1;
  for (std::size_t i = 0; i < acpi.cpu_count; ++i) {
    if (acpi.apic_ids[i] == bsp_apic) continue;
    Cpu& c = g_cpus[next];
    c.id = next;
    c.apic_id = acpi.apic_ids[i];
    start_one(c, alloc);
    ++next;
  }
  // Every CPU runs in the higher half now: remove the identity map.
  abyss_boot_pml4[0] = 0;
  cpu::write_cr3(cpu::read_cr3());
  g_cpu_count.store(next, std::memory_order_release);
  g_release.store(true, std::memory_order_release);
  log::info("%u CPU(s) online", next);
  return next;
}

void send_ipi(std::uint32_t cpu_id, Vector vector) {
  apic::send_ipi(cpu_record(cpu_id).apic_id, apic::Delivery::kFixed,
                 static_cast<std::uint8_t>(vector));
}

void send_ipi_all_but_self(Vector vector) {
  if (cpu_count() <= 1) return;
  apic::send_ipi(0, apic::Delivery::kFixed, static_cast<std::uint8_t>(vector),
                 apic::Shorthand::kAllButSelf);
}

}  // namespace abyss
