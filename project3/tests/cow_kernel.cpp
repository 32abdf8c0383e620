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
  KEOS_ASSERT(
      pager.mmap(table, Va(0x30000000), kPageSize, kUserRw, Box<AnonymousLoader>::create().take())
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

namespace {

// A process reduced to what a fault needs: a page table whose faults go to a LazyPager,
// counted.
class PagerTask : public Task {
 public:
  PagerTask(PageTable& table, LazyPager& pager, std::atomic<int>& faults)
      : table_(table), pager_(pager), faults_(faults) {}
  PageTable& page_table() override { return table_; }
  void syscall(Registers& regs) override {
    regs.rax = static_cast<std::uint64_t>(-errno_of(KernelError::kNoSys));
  }
  Result<void> page_fault(std::uint64_t error_code, Va address) override {
    faults_.fetch_add(1);
    return pager_.handle_page_fault(table_, PageFaultReason::from_error_code(error_code, address));
  }
  bool access_ok(Va, std::uint64_t, Access) override { return true; }

 private:
  PageTable& table_;
  LazyPager& pager_;
  std::atomic<int>& faults_;
};

// Writes `value` at `va` from a thread running `table` (faults go to `pager`); returns how
// many page faults the one write took, or -1 if it failed.
int faults_of_one_write(PageTable& table, LazyPager& pager, Va va, std::uint64_t value) {
  static std::atomic<int> faults;
  faults = 0;
  Result<JoinHandle> writer =
      ThreadBuilder("cow-one-write")
          .attach_task(Box<Task>(Box<PagerTask>::create(table, pager, faults).take()))
          .spawn([va, value] { return user_write(va, value).is_ok() ? 0 : 1; });
  if (writer.is_err() || writer.take().join() != 0) return -1;
  return faults.load();
}

}  // namespace

// One write to a shared page takes one page fault: do_copy_on_write installs the copy
// with the write right, so the retried write goes through. (A copy installed read-only
// works too, but every first write then faults twice and walks the table again.) The
// same holds when the frame is no longer shared and is made writable in place.
KEOS_TEST(cow_one_fault_per_write) {
  constexpr Va kData(0x10000000);
  Result<PageTable> parent_created = PageTable::create();
  Result<PageTable> child_created = PageTable::create();
  KEOS_ASSERT(parent_created.is_ok() && child_created.is_ok());
  PageTable parent = parent_created.take();
  PageTable child = child_created.take();
  LazyPager parent_pager;
  KEOS_ASSERT(
      parent_pager
          .mmap(parent, kData, 2 * kPageSize, kUserRw, Box<AnonymousLoader>::create().take())
          .is_ok());
  // Both pages present (a write each: demand paging), then shared by fork's step.
  KEOS_ASSERT_EQ(faults_of_one_write(parent, parent_pager, kData, 1), 1);
  KEOS_ASSERT_EQ(faults_of_one_write(parent, parent_pager, kData + kPageSize, 2), 1);
  Result<LazyPager> child_pager_cloned = parent_pager.clone_areas();
  KEOS_ASSERT(child_pager_cloned.is_ok());
  LazyPager child_pager = child_pager_cloned.take();
  KEOS_ASSERT(parent_pager.write_protect_ptes(parent, child).is_ok());
  Pa shared = parent.walk(kData).take().pa();

  // The child writes a shared page: one fault, and now a private writable copy.
  int child_faults = faults_of_one_write(child, child_pager, kData, 3);
  KEOS_ASSERT(child_faults != -1);
  if (child_faults != 1) {
    keos::test::fail(__FILE__, __LINE__,
                     "one write to a shared page took %d page faults: do_copy_on_write must "
                     "install the copy with the write right, so the retried write goes "
                     "through",
                     child_faults);
    return;
  }
  Pte copy = child.walk(kData).take();
  KEOS_ASSERT(copy.writable() && copy.pa() != shared);
  KEOS_ASSERT_EQ(*phys_ptr<std::uint64_t>(copy.pa()), 3u);
  KEOS_ASSERT_EQ(*phys_ptr<std::uint64_t>(shared), 1u);

  // The parent is the frame's only user now: one fault, made writable in place.
  int parent_faults = faults_of_one_write(parent, parent_pager, kData, 4);
  KEOS_ASSERT(parent_faults != -1);
  if (parent_faults != 1) {
    keos::test::fail(__FILE__, __LINE__,
                     "one write to a page no one else shares any more took %d page faults",
                     parent_faults);
    return;
  }
  Pte own = parent.walk(kData).take();
  KEOS_ASSERT(own.writable() && own.pa() == shared);
  KEOS_ASSERT_EQ(*phys_ptr<std::uint64_t>(shared), 4u);
}
