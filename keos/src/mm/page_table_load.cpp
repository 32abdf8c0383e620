// Loading a page table on a CPU (kernel only: page_table.cpp also builds on the host).
// Each table keeps the set of CPUs that have it loaded, which is where a TLB shootdown
// sends its IPIs (shootdown.cpp). A CPU sets its bit before it writes CR3: a shootdown
// that misses the bit then comes before the CR3 write, whose TLB starts empty.
#include <atomic>

#include <abyss/boot.hpp>
#include <abyss/cpu.hpp>
#include <abyss/percpu.hpp>
#include <abyss/smp.hpp>
#include <keos/mm/page_table.hpp>

namespace keos {
namespace {

// The table each CPU has loaded (nullptr: the kernel's boot table). Only CPU i touches
// entry i, with interrupts off.
PageTable* g_loaded[abyss::kMaxCpus];

}  // namespace

void PageTable::activate() {
  KASSERT(!abyss::cpu::interrupts_enabled());
  std::uint32_t me = abyss::cpu_id();
  PageTable* previous = g_loaded[me];
  if (previous == this) return;
  active_cpus_.fetch_or(1ull << me, std::memory_order_seq_cst);
  abyss::cpu::write_cr3(root_.value());
  if (previous != nullptr) previous->active_cpus_.fetch_and(~(1ull << me));
  g_loaded[me] = this;
}

void PageTable::activate_kernel() {
  KASSERT(!abyss::cpu::interrupts_enabled());
  std::uint32_t me = abyss::cpu_id();
  PageTable* previous = g_loaded[me];
  if (previous == nullptr) return;
  abyss::cpu::write_cr3(abyss::kernel_page_table_root().value());
  previous->active_cpus_.fetch_and(~(1ull << me));
  g_loaded[me] = nullptr;
}

}  // namespace keos
