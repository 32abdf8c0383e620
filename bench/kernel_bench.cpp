// Kernel-side benchmarks (`make bench`): the bare operations that the goals compare the
// fork and fault paths against. Each prints METRIC lines (keos/bench.hpp); the host
// (bench/bench.py) computes the ratios.
//
//   copy_page_cold        one copy_page() of a 4 KiB frame whose lines were flushed
//   zero_page_cold        zeroing a 4 KiB frame (the allocator's routine), lines flushed
//   pte_loop_per_page     the least any fork must do per page: read a leaf entry, write it
//                         without RW into the child's table and back into the parent's,
//                         take a frame reference
//   invlpg_local          one invlpg on this CPU (what each page of a flush costs a target)
//   ipi_pingpong          an IPI to a CPU spinning in the kernel, until it has answered
//   shootdown_1page / shootdown_32pages   a shootdown to a CPU running the same table
//   ipis_idle_*           IPIs sent while write-protecting and unmapping a table that no
//                         other CPU has loaded (must be 0)
#include <atomic>
#include <new>

#include <abyss/cpu.hpp>
#include <abyss/percpu.hpp>
#include <abyss/smp.hpp>
#include <abyss/spinlock.hpp>
#include <abyss/string.hpp>
#include <abyss/trap.hpp>
#include <keos/bench.hpp>
#include <keos/mm/frame_alloc.hpp>
#include <keos/mm/page.hpp>
#include <keos/mm/page_table.hpp>
#include <keos/mm/tlb.hpp>
#include <keos/thread/thread.hpp>

#include <ktest/test_task.hpp>

using keos::bench::metric;
using keos::bench::metric_value;
using keos::bench::now;
using keos::bench::repetitions;
using keos::bench::Samples;
using namespace keos;

namespace {

constexpr Permission kUserRw = Permission::kRead | Permission::kWrite | Permission::kUser;
constexpr Va kBase(0x10000000);

// The ping-pong's answer: the receiving CPU counts the IPI.
void on_test_ipi(abyss::TrapFrame&) { abyss::this_cpu().test_ipis.fetch_add(1); }

// Evicts a frame from the CPU caches (a no-op under emulation, which has none).
void flush_lines(PageRef page) {
  for (std::size_t off = 0; off < kPageSize; off += 64) {
    asm volatile("clflush (%0)" ::"r"(page.data() + off) : "memory");
  }
  asm volatile("mfence" ::: "memory");
}

Page uninitialized_page() {
  return Page::from_raw(mm::alloc_frames(0, mm::FrameUsage::kUserData, mm::Fill::kUninitialized)
                            .take());
}

// A table with `pages` user pages mapped from kBase (not loaded anywhere).
PageTable table_with_pages(std::size_t pages) {
  PageTable table = PageTable::create().take();
  for (std::size_t i = 0; i < pages; ++i) {
    KASSERT(table.map(kBase + i * kPageSize, Page::create().take(), kUserRw).is_ok());
  }
  return table;
}

}  // namespace

KEOS_BENCH(copy_page_cold) {
  Samples copy, zero;
  for (std::size_t i = 0; i < repetitions(); ++i) {
    Page src = Page::create().take();
    Page dst = uninitialized_page();
    flush_lines(src.as_ref());
    flush_lines(dst.as_ref());
    std::uint64_t t0 = now();
    copy_page(dst.as_ref(), src.as_ref());
    copy.add(now() - t0);
    Page fresh = uninitialized_page();
    flush_lines(fresh.as_ref());
    t0 = now();
    memset(fresh.data(), 0, kPageSize);
    zero.add(now() - t0);
  }
  metric("copy_page_cold", copy, "cycles");
  metric("zero_page_cold", zero, "cycles");
}

// Timed 32 at a time, so that the timer's own cost hardly counts.
KEOS_BENCH(invlpg_local) {
  Samples per_page;
  abyss::cpu::InterruptGuard irq;
  for (std::size_t i = 0; i < repetitions(); ++i) {
    std::uint64_t t0 = now();
    for (std::uint64_t p = 0; p < 32; ++p) abyss::cpu::invlpg(kBase.value() + p * kPageSize);
    per_page.add((now() - t0) / 32);
  }
  metric("invlpg_local", per_page, "cycles");
}

KEOS_BENCH(pte_loop) {
  const std::size_t pages = keos::bench::smoke() ? 64 : 16384;
  PageTable table = table_with_pages(pages);
  auto* child = new std::uint64_t[pages];
  Samples per_page;
  for (std::size_t rep = 0; rep < repetitions(); ++rep) {
    std::size_t i = 0;
    std::uint64_t t0 = now();
    table.for_each_present([&](PteSlot slot) {
      Pte pte = slot.get();
      Pte read_only = pte.without_flags(Pte::kWritable);
      child[i++] = read_only.raw();
      slot.set_raw(read_only);
      mm::ref_frame(pte.pa());
    });
    per_page.add((now() - t0) / pages);
    table.for_each_present([&](PteSlot slot) {  // undo, untimed
      Pte pte = slot.get();
      slot.set_raw(Pte(pte.raw() | Pte::kWritable));
      mm::unref_frame(pte.pa());
    });
  }
  delete[] child;
  metric("pte_loop_per_page", per_page, "cycles");
}

// CPU 0 measures; a thread pinned to CPU 1 runs `table` and spins (interrupts on) until
// told to stop.
KEOS_BENCH(ipi_and_shootdown) {
  if (abyss::cpu_count() < 2) {
    metric_value("ipi_and_shootdown_skipped_one_cpu", 1, "flag");
    return;
  }
  static std::atomic<bool> running, stop;
  running = false;
  stop = false;
  abyss::register_interrupt(abyss::Vector::kTestIpi, on_test_ipi);
  PageTable table = table_with_pages(32);
  auto spinner = ThreadBuilder("bench-spin")
                     .attach_task(ktest::test_task(table))
                     .pin_to_cpu(1)
                     .spawn([] {
                       running = true;
                       while (!stop.load()) abyss::cpu_relax();
                       return 0;
                     });
  KASSERT(spinner.is_ok());
  auto measurer = ThreadBuilder("bench-measure").pin_to_cpu(0).spawn([&table] {
    while (!running.load()) abyss::cpu_relax();
    Samples ping, one, many;
    std::atomic<std::uint64_t>& received = abyss::cpu_record(1).test_ipis;
    for (std::size_t i = 0; i < repetitions(); ++i) {
      std::uint64_t before = received.load();
      std::uint64_t t0 = now();
      abyss::send_ipi(1, abyss::Vector::kTestIpi);
      while (received.load() == before) abyss::cpu_relax();
      ping.add(now() - t0);
      t0 = now();
      tlb::invalidate_page(table, kBase);
      one.add(now() - t0);
      t0 = now();
      tlb::invalidate_range(table, kBase, 32);
      many.add(now() - t0);
    }
    metric("ipi_pingpong", ping, "cycles");
    metric("shootdown_1page", one, "cycles");
    metric("shootdown_32pages", many, "cycles");
    return 0;
  });
  KASSERT(measurer.is_ok());
  measurer.take().join();
  stop = true;
  spinner.take().join();
}

// Write-protecting and unmapping a table that no other CPU has loaded must not interrupt
// anyone.
KEOS_BENCH(ipis_idle) {
  const std::size_t pages = 32;
  PageTable table = table_with_pages(pages);
  std::uint32_t me = abyss::cpu_id();
  abyss::cpu::InterruptGuard irq;  // stay on this CPU: its counters are the ones read
  std::uint64_t before = tlb::stats(me).ipis_sent;
  for (std::size_t i = 0; i < pages; ++i) {
    Va va = kBase + i * kPageSize;
    table.protect(va, Permission::kRead | Permission::kUser).take().invalidate();
  }
  tlb_shutdown(table);
  metric_value("ipis_idle_protect", tlb::stats(me).ipis_sent - before, "ipis");
  before = tlb::stats(me).ipis_sent;
  for (std::size_t i = 0; i < pages; ++i) table.unmap(kBase + i * kPageSize).take().invalidate();
  metric_value("ipis_idle_unmap", tlb::stats(me).ipis_sent - before, "ipis");
}
