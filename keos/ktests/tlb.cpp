// TLB consistency across CPUs: a shootdown really reaches the other CPU, and shootdowns
// sent from every CPU at once do not deadlock.
#include <atomic>

#include <abyss/cpu.hpp>
#include <abyss/percpu.hpp>
#include <abyss/spinlock.hpp>
#include <keos/mm/page_table.hpp>
#include <keos/sync/spinlock.hpp>
#include <keos/syscall/uaccess.hpp>
#include <keos/test.hpp>
#include <keos/thread/thread.hpp>

#include <ktest/test_task.hpp>

using namespace keos;

namespace {

constexpr Permission kUserRw = Permission::kRead | Permission::kWrite | Permission::kUser;
constexpr Permission kUserRo = Permission::kRead | Permission::kUser;

Result<void> user_write(Va va, std::uint64_t value) { return copy_to_user(va, &value, 8); }

}  // namespace

// CPU B caches a writable translation (a write, so the page is dirty) and spins with
// interrupts off, without reloading CR3. CPU A write-protects the page and invalidates the
// stale entry. B's next write must fault: had the shootdown not reached B, the write would
// land in the frame through B's stale writable entry. B answers the shootdown from its spin
// loop, as every spinning CPU does.
KEOS_TEST(tlb_shootdown_reaches_other_cpu) {
  if (abyss::cpu_count() < 2) {
    keos::test::fail(__FILE__, __LINE__, "needs two CPUs (tlb_invalidate_local covers one)");
    return;
  }
  static std::atomic<int> primed, downgraded, faults;
  primed = downgraded = faults = 0;
  Result<PageTable> created = PageTable::create();
  KEOS_ASSERT(created.is_ok());
  PageTable table = created.take();
  Result<Page> page = Page::create();
  KEOS_ASSERT(page.is_ok());
  Pa frame = page.value().pa();
  const Va va(0x10000000);
  KEOS_ASSERT(table.map(va, page.take(), kUserRw).is_ok());
  std::uint64_t answered_before = tlb::stats(1).requests_answered;

  auto b = ThreadBuilder("tlb-b")
               .attach_task(ktest::test_task(table, &faults))
               .pin_to_cpu(1)
               .spawn([va] {
                 abyss::cpu::InterruptGuard irq;
                 if (user_write(va, 1).is_err()) return 1;  // primes a writable entry
                 primed = 1;
                 while (downgraded.load() == 0) abyss::cpu_relax();
                 return user_write(va, 2).is_err() ? 0 : 2;  // must fault now
               });
  auto a = ThreadBuilder("tlb-a").pin_to_cpu(0).spawn([&table, va] {
    while (primed.load() == 0) abyss::cpu_relax();
    Result<StaleTLBEntry> stale = table.protect(va, kUserRo);
    if (stale.is_err()) return 1;
    stale.take().invalidate();
    downgraded = 1;
    return 0;
  });
  KEOS_ASSERT(a.is_ok() && b.is_ok());
  KEOS_ASSERT_EQ(a.take().join(), 0);
  int b_result = b.take().join();
  KEOS_ASSERT(b_result != 1);  // the priming write worked
  KEOS_ASSERT_EQ(*phys_ptr<std::uint64_t>(frame), 1u);  // the second write never landed
  KEOS_ASSERT_EQ(b_result, 0);
  KEOS_ASSERT_EQ(faults.load(), 1);
  KEOS_ASSERT(tlb::stats(1).requests_answered > answered_before);
}

// The same on one CPU: the writable entry this CPU cached must go with invalidate().
KEOS_TEST(tlb_invalidate_local) {
  static std::atomic<int> faults;
  faults = 0;
  Result<PageTable> created = PageTable::create();
  KEOS_ASSERT(created.is_ok());
  PageTable table = created.take();
  Result<Page> page = Page::create();
  KEOS_ASSERT(page.is_ok());
  Pa frame = page.value().pa();
  const Va va(0x10000000);
  KEOS_ASSERT(table.map(va, page.take(), kUserRw).is_ok());
  auto t = ThreadBuilder("tlb-local")
               .attach_task(ktest::test_task(table, &faults))
               .spawn([&table, va] {
                 abyss::cpu::InterruptGuard irq;  // no switch (and no CR3 reload) between
                 if (user_write(va, 1).is_err()) return 1;
                 Result<StaleTLBEntry> stale = table.protect(va, kUserRo);
                 if (stale.is_err()) return 1;
                 stale.take().invalidate();
                 return user_write(va, 2).is_err() ? 0 : 2;
               });
  KEOS_ASSERT(t.is_ok());
  KEOS_ASSERT_EQ(t.take().join(), 0);
  KEOS_ASSERT_EQ(*phys_ptr<std::uint64_t>(frame), 1u);
  KEOS_ASSERT_EQ(faults.load(), 1);
}

// Every CPU runs a thread on one shared address space and keeps downgrading and
// upgrading its own page, each time shooting it down on all the others while they do
// the same. The test ends only if no CPU ever waits forever.
KEOS_TEST(tlb_concurrent_shootdowns) {
  static constexpr std::uint64_t kRounds = 60;
  std::uint32_t n = abyss::cpu_count();
  Result<PageTable> created = PageTable::create();
  KEOS_ASSERT(created.is_ok());
  static SpinLock<PageTable*> shared(nullptr);
  PageTable table = created.take();
  *shared.lock() = &table;
  for (std::uint32_t cpu = 0; cpu < n; ++cpu) {
    Result<Page> page = Page::create();
    KEOS_ASSERT(page.is_ok());
    KEOS_ASSERT(table.map(Va(0x20000000 + cpu * kPageSize), page.take(), kUserRw).is_ok());
  }
  JoinHandle* workers[abyss::kMaxCpus];
  for (std::uint32_t cpu = 0; cpu < n; ++cpu) {
    auto spawned = ThreadBuilder("shooter")
                       .attach_task(ktest::test_task(table))
                       .pin_to_cpu(cpu)
                       .spawn([cpu] {
                         Va va(0x20000000 + cpu * kPageSize);
                         for (std::uint64_t i = 1; i <= kRounds; ++i) {
                           Result<StaleTLBEntry> down = (*shared.lock())->protect(va, kUserRo);
                           if (down.is_err()) return 1;
                           down.take().invalidate();
                           Result<StaleTLBEntry> up = (*shared.lock())->protect(va, kUserRw);
                           if (up.is_err()) return 1;
                           up.take().invalidate();
                           if (user_write(va, i).is_err()) return 2;
                         }
                         return 0;
                       });
    KEOS_ASSERT(spawned.is_ok());
    workers[cpu] = new JoinHandle(spawned.take());
  }
  int failures = 0;
  for (std::uint32_t cpu = 0; cpu < n; ++cpu) {
    failures += workers[cpu]->join() != 0;
    delete workers[cpu];
  }
  KEOS_ASSERT_EQ(failures, 0);
  for (std::uint32_t cpu = 0; cpu < n; ++cpu) {
    Result<Pte> pte = table.walk(Va(0x20000000 + cpu * kPageSize));
    KEOS_ASSERT(pte.is_ok());
    KEOS_ASSERT_EQ(*phys_ptr<std::uint64_t>(pte.value().pa()), kRounds);
  }
}
