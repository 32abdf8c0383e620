// TLB shootdown by inter-processor interrupt. Which CPUs to ask is the table's CPU set,
// kept by PageTable::activate (page_table_load.cpp).
//
// A request lives on the sender's stack: {what to flush, how many CPUs still owe an
// answer}. The sender puts a pointer to it in each target CPU's mailbox, sends the
// shootdown IPI, and spins until the count reaches zero, answering its own mailbox while
// it waits. A target answers from the IPI handler or from any spin loop (the spin hook),
// so a CPU spinning with interrupts off still answers. Each CPU has at most one request
// in flight (it waits for it), so a mailbox of kMaxCpus slots never overflows.
//
// Ordering: the sender changes the PTE, then (full fence) reads the table's CPU set. A
// CPU that loads the table sets its bit before writing CR3, so either the sender sees the
// bit, or the CPU's CR3 write comes after the PTE change and its TLB starts empty.
#include <atomic>

#include <abyss/boot.hpp>
#include <abyss/cpu.hpp>
#include <abyss/percpu.hpp>
#include <abyss/smp.hpp>
#include <abyss/spinlock.hpp>
#include <keos/mm/page_table.hpp>
#include <keos/mm/tlb.hpp>

namespace keos {
namespace {

constexpr std::uint32_t kMaxCpus = abyss::kMaxCpus;

// Beyond this many pages a whole-table flush is cheaper than one invlpg per page.
constexpr std::uint64_t kMaxInvlpgPages = 32;

struct Request {
  Va va;
  std::uint64_t pages;  // 0: flush the whole table
  std::atomic<std::uint32_t> remaining;
};

struct alignas(64) Mailbox {
  abyss::SpinLock lock;
  std::atomic<bool> pending{false};
  Request* requests[kMaxCpus] = {};  // guarded by lock
  std::uint32_t count = 0;           // guarded by lock
  bool answering = false;            // this CPU is inside answer(): no re-entry
  std::atomic<std::uint64_t> sent{0}, answered{0}, ipis{0};
};

Mailbox g_mailboxes[kMaxCpus];

void flush_local(Va va, std::uint64_t pages) {
  if (pages == 0 || pages > kMaxInvlpgPages) {
    abyss::cpu::write_cr3(abyss::cpu::read_cr3());
  } else {
    for (std::uint64_t i = 0; i < pages; ++i) abyss::cpu::invlpg(va.value() + i * kPageSize);
  }
}

// Carries out every request waiting for this CPU.
void answer() {
  abyss::cpu::InterruptGuard irq;
  Mailbox& box = g_mailboxes[abyss::cpu_id()];
  if (!box.pending.load(std::memory_order_acquire) || box.answering) return;
  box.answering = true;
  Request* taken[kMaxCpus];
  std::uint32_t n = 0;
  if (box.lock.try_lock()) {
    n = box.count;
    for (std::uint32_t i = 0; i < n; ++i) taken[i] = box.requests[i];
    box.count = 0;
    box.pending.store(false, std::memory_order_release);
    box.lock.unlock();
  }
  for (std::uint32_t i = 0; i < n; ++i) {
    flush_local(taken[i]->va, taken[i]->pages);
    box.answered.fetch_add(1, std::memory_order_relaxed);
    taken[i]->remaining.fetch_sub(1, std::memory_order_acq_rel);  // the sender may return now
  }
  box.answering = false;
}

void on_shootdown_ipi(abyss::TrapFrame&) { answer(); }

// The remote part of shoot(): a request to every CPU in `targets` (not this one), then
// the wait for their answers. Interrupts are off.
[[gnu::noinline]] void shoot_remote(std::uint64_t targets, Va va, std::uint64_t pages) {
  std::uint32_t online = abyss::cpu_count();
  targets &= online >= 64 ? ~0ull : (1ull << online) - 1;
  if (targets == 0) return;
  std::uint32_t count = 0;
  for (std::uint64_t m = targets; m != 0; m &= m - 1) ++count;  // (popcnt needs libgcc)
  Request request{va, pages, {count}};
  Mailbox& mine = g_mailboxes[abyss::cpu_id()];
  for (std::uint64_t m = targets; m != 0; m &= m - 1) {  // the set bits only: the
    auto cpu = static_cast<std::uint32_t>(__builtin_ctzll(m));  // answers start sooner
    Mailbox& box = g_mailboxes[cpu];
    {
      abyss::SpinLockGuard guard(box.lock);
      box.requests[box.count++] = &request;
      box.pending.store(true, std::memory_order_release);
    }
    mine.sent.fetch_add(1, std::memory_order_relaxed);
    mine.ipis.fetch_add(1, std::memory_order_relaxed);
    abyss::send_ipi(cpu, abyss::Vector::kTlbShootdown);
  }
  while (request.remaining.load(std::memory_order_acquire) != 0) abyss::cpu_relax();
}

// The common case (only this CPU, or none, has the table loaded) stays short: a fault's
// invalidation goes through here. Inlined into each caller, so that a one-page
// invalidation is one invlpg rather than a loop.
[[gnu::always_inline]] inline void shoot(const PageTable& table, Va va, std::uint64_t pages) {
  abyss::cpu::InterruptGuard irq;  // no migration between the local and the remote part
  std::atomic_thread_fence(std::memory_order_seq_cst);
  std::uint64_t me = 1ull << abyss::cpu_id();
  std::uint64_t targets = table.active_cpus();
  if (targets & me) flush_local(va, pages);
  if ((targets & ~me) != 0) shoot_remote(targets & ~me, va, pages);
}

}  // namespace

namespace tlb {

void init() {
  abyss::register_interrupt(abyss::Vector::kTlbShootdown, on_shootdown_ipi);
  abyss::set_spin_hook(answer);
}

void invalidate_page(const PageTable& table, Va va) { shoot(table, va, 1); }
void invalidate_range(const PageTable& table, Va va, std::uint64_t pages) {
  if (pages != 0) shoot(table, va, pages);
}
void invalidate_all(const PageTable& table) { shoot(table, Va(0), 0); }

Stats stats(std::uint32_t cpu) {
  const Mailbox& box = g_mailboxes[cpu];
  return {box.sent.load(), box.answered.load(), box.ipis.load()};
}

}  // namespace tlb

}  // namespace keos
