// Project 3 kernel tests: the parts of fork and copy-on-write that a user program cannot
// observe reliably. A missing shootdown after write_protect_ptes (another CPU keeps a
// writable translation of a page that is now shared) and the classification of faults.
#include <atomic>

#include <abyss/cpu.hpp>
#include <abyss/percpu.hpp>
#include <abyss/spinlock.hpp>
#include <keos/mm/frame_alloc.hpp>
#include <keos/mm/page_table.hpp>
#include <keos/process/lazy_pager.hpp>
#include <keos/syscall/uaccess.hpp>
#include <keos/test.hpp>
#include <keos/thread/thread.hpp>

#include <ktest/test_task.hpp>

using namespace keos;

namespace {

constexpr Permission kUserRw = Permission::kRead | Permission::kWrite | Permission::kUser;
constexpr Permission kUserRo = Permission::kRead | Permission::kUser;
constexpr Permission kUserRx = kUserRo | Permission::kExecutable;

Result<void> user_write(Va va, std::uint64_t value) { return copy_to_user(va, &value, 8); }

}  // namespace

// CPU B runs on the "parent" table and caches a writable translation of a page (a write:
// the entry is dirty), then spins with interrupts off and without reloading CR3. CPU A
// calls write_protect_ptes(parent, child). B writes again: it must fault. Without the
// shootdown (tlb_shutdown) in write_protect_ptes, B's stale writable entry lets the write
// land in the frame the child now shares. The layout of the two tables is checked too.
KEOS_TEST(cow_tlb_cross_cpu) {
  if (abyss::cpu_count() < 2) {
    keos::test::fail(__FILE__, __LINE__, "needs two CPUs");
    return;
  }
  static std::atomic<int> primed, protected_, faults;
  primed = protected_ = faults = 0;
  Result<PageTable> parent_created = PageTable::create();
  Result<PageTable> child_created = PageTable::create();
  KEOS_ASSERT(parent_created.is_ok() && child_created.is_ok());
  PageTable parent = parent_created.take();
  PageTable child = child_created.take();
  const Va data(0x10000000), text(0x10001000);
  Result<Page> data_page = Page::create();
  Result<Page> text_page = Page::create();
  KEOS_ASSERT(data_page.is_ok() && text_page.is_ok());
  Pa frame = data_page.value().pa();
  KEOS_ASSERT(parent.map(data, data_page.take(), kUserRw).is_ok());
  KEOS_ASSERT(parent.map(text, text_page.take(), kUserRx).is_ok());

  auto b = ThreadBuilder("cow-tlb-b")
               .attach_task(ktest::test_task(parent, &faults))
               .pin_to_cpu(1)
               .spawn([data] {
                 abyss::cpu::InterruptGuard irq;
                 if (user_write(data, 1).is_err()) return 1;  // primes a writable entry
                 primed = 1;
                 while (protected_.load() == 0) abyss::cpu_relax();
                 return user_write(data, 2).is_err() ? 0 : 2;  // must fault now
               });
  Result<void> shared = Err(KernelError::kNoSys);
  auto a = ThreadBuilder("cow-tlb-a").pin_to_cpu(0).spawn([&parent, &child, &shared] {
    while (primed.load() == 0) abyss::cpu_relax();
    LazyPager pager;
    shared = pager.write_protect_ptes(parent, child);
    protected_ = 1;
    return 0;
  });
  KEOS_ASSERT(a.is_ok() && b.is_ok());
  KEOS_ASSERT_EQ(a.take().join(), 0);
  int b_result = b.take().join();
  KEOS_ASSERT(shared.is_ok());
  KEOS_ASSERT(b_result != 1);  // the priming write worked
  if (*phys_ptr<std::uint64_t>(frame) != 1) {
    keos::test::fail(__FILE__, __LINE__,
                     "CPU 1 wrote into the shared frame through a stale writable TLB entry: "
                     "write_protect_ptes must flush the parent's TLBs on every CPU");
    return;
  }
  KEOS_ASSERT_EQ(b_result, 0);
  KEOS_ASSERT_EQ(faults.load(), 1);

  // Both tables map the same frames; the data page is read-only in both and keeps NX;
  // the executable page stays executable; each frame has one reference per table.
  Pte pd = parent.walk(data).take(), cd = child.walk(data).take();
  Pte pt = parent.walk(text).take(), ct = child.walk(text).take();
  KEOS_ASSERT(pd.pa() == frame && cd.pa() == frame);
  KEOS_ASSERT(!pd.writable() && !cd.writable());
  KEOS_ASSERT(!pd.executable() && !cd.executable() && cd.user());
  KEOS_ASSERT(pt.pa() == ct.pa() && pt.executable() && ct.executable());
  KEOS_ASSERT_EQ(mm::frame_refcount(frame), 2u);
  KEOS_ASSERT_EQ(mm::frame_refcount(pt.pa()), 2u);
}

// is_cow_fault says yes to exactly one case: a write to a present page whose entry is
// read-only inside a writable mapping. And handle_page_fault leaves a page alone when the
// entry is already writable (a spurious fault), copying nothing.
KEOS_TEST(cow_fault_classification) {
  Result<PageTable> created = PageTable::create();
  KEOS_ASSERT(created.is_ok());
  PageTable table = created.take();
  const Va page(0x20000000);
  Result<Page> frame = Page::create();
  KEOS_ASSERT(frame.is_ok());
  KEOS_ASSERT(table.map(page, frame.take(), kUserRo).is_ok());
  Pte ro = table.walk(page).take();
  VmAreaStruct writable{page, page + kPageSize, kUserRw, nullptr};
  VmAreaStruct read_only{page, page + kPageSize, kUserRo, nullptr};
  auto reason = [page](bool write, bool present, bool fetch) {
    return PageFaultReason{page + 8, write, present, fetch};
  };
  KEOS_ASSERT(reason(true, true, false).is_cow_fault(writable, ro));
  KEOS_ASSERT(!reason(false, true, false).is_cow_fault(writable, ro));  // a read
  KEOS_ASSERT(!reason(false, true, true).is_cow_fault(writable, ro));   // a fetch
  KEOS_ASSERT(!reason(true, true, false).is_cow_fault(read_only, ro));  // a violation
  KEOS_ASSERT(!reason(true, false, false).is_cow_fault(writable, ro));  // not present

  // A spurious fault: the entry is writable already.
  LazyPager pager;
  KEOS_ASSERT(pager.mmap(table, Va(0x30000000), kPageSize, kUserRw,
                         Box<AnonymousLoader>::create().take())
                  .is_ok());
  KEOS_ASSERT(pager.handle_page_fault(table, reason(true, false, false)).is_err());
  PageFaultReason first{Va(0x30000010), true, false, false};
  KEOS_ASSERT(pager.handle_page_fault(table, first).is_ok());  // demand paging
  Pte before = table.walk(Va(0x30000000)).take();
  KEOS_ASSERT(before.writable());
  std::size_t free_before = mm::free_frame_count();
  PageFaultReason spurious{Va(0x30000010), true, true, false};
  KEOS_ASSERT(pager.handle_page_fault(table, spurious).is_ok());
  KEOS_ASSERT_EQ(table.walk(Va(0x30000000)).take().raw(), before.raw());
  KEOS_ASSERT_EQ(mm::free_frame_count(), free_before);
  KEOS_ASSERT(pager.munmap(table, Va(0x30000000)).is_ok());
}
