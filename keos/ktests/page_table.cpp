// Page tables on the real machine: the permission-to-PTE matrix, what the CPU then allows
// (a kernel write through CR0.WP honours a read-only user page), and teardown giving every
// frame back.
#include <atomic>

#include <keos/mm/frame_alloc.hpp>
#include <keos/mm/page_table.hpp>
#include <keos/syscall/uaccess.hpp>
#include <keos/test.hpp>
#include <keos/thread/thread.hpp>

#include <ktest/test_task.hpp>

using namespace keos;

KEOS_TEST(page_table_permission_matrix) {
  Result<PageTable> created = PageTable::create();
  KEOS_ASSERT(created.is_ok());
  PageTable table = created.take();
  for (unsigned bits = 0; bits < 16; ++bits) {
    auto perm = static_cast<Permission>(bits);
    Va va(0x30000000 + bits * kPageSize);
    Result<Page> page = Page::create();
    KEOS_ASSERT(page.is_ok());
    Pa pa = page.value().pa();
    Result<void> mapped = table.map(va, page.take(), perm);
    if (!has(perm, Permission::kRead)) {
      KEOS_ASSERT(mapped.is_err() && mapped.error() == KernelError::kInvalidArgument);
      continue;
    }
    KEOS_ASSERT(mapped.is_ok());
    std::uint64_t expected = pa.value() | Pte::kPresent;
    if (has(perm, Permission::kWrite)) expected |= Pte::kWritable;
    if (has(perm, Permission::kUser)) expected |= Pte::kUser;
    if (!has(perm, Permission::kExecutable)) expected |= Pte::kNoExecute;
    Result<Pte> pte = table.walk(va + 123);
    KEOS_ASSERT(pte.is_ok());
    KEOS_ASSERT_EQ(pte.value().raw(), expected);
    KEOS_ASSERT(pte.value().permission() == perm);
  }
  KEOS_ASSERT(table.map(Va(0x30000000 + 3 * kPageSize), Page::create().take(),
                        Permission::kRead).error() == KernelError::kExists);
  KEOS_ASSERT(table.map(Va(0x30000001), Page::create().take(), Permission::kRead).error() ==
              KernelError::kInvalidArgument);
  KEOS_ASSERT(table.map(Va(kUserEnd), Page::create().take(), Permission::kRead).error() ==
              KernelError::kInvalidArgument);
  KEOS_ASSERT(table.unmap(Va(0x50000000)).error() == KernelError::kNoSuchEntry);
}

// The kernel writing to user memory obeys the user page's protection (CR0.WP), so a
// read-only page cannot be written through a system call either.
KEOS_TEST(page_table_kernel_write_respects_read_only) {
  static std::atomic<int> faults;
  faults = 0;
  Result<PageTable> created = PageTable::create();
  KEOS_ASSERT(created.is_ok());
  PageTable table = created.take();
  const Va ro(0x40000000), rw(0x40001000);
  KEOS_ASSERT(table.map(ro, Page::create().take(), Permission::kRead | Permission::kUser).is_ok());
  KEOS_ASSERT(table
                  .map(rw, Page::create().take(),
                       Permission::kRead | Permission::kWrite | Permission::kUser)
                  .is_ok());
  auto t = ThreadBuilder("writer")
               .attach_task(ktest::test_task(table, &faults))
               .spawn([ro, rw] {
                 std::uint64_t v = 7;
                 if (copy_to_user(rw, &v, 8).is_err()) return 1;
                 Result<void> r = copy_to_user(ro, &v, 8);
                 if (r.is_ok() || r.error() != KernelError::kBadAddress) return 2;
                 std::uint64_t back = 0;
                 if (copy_from_user(&back, ro, 8).is_err() || back != 0) return 3;
                 return 0;
               });
  KEOS_ASSERT(t.is_ok());
  KEOS_ASSERT_EQ(t.take().join(), 0);
  KEOS_ASSERT_EQ(faults.load(), 1);
}

KEOS_TEST(page_table_teardown_frees_everything) {
  std::size_t before = mm::free_frame_count();
  {
    Result<PageTable> created = PageTable::create();
    KEOS_ASSERT(created.is_ok());
    PageTable table = created.take();
    // Spread over many tables: several PML4, PDPT and PD entries.
    const std::uint64_t bases[] = {0x401000, 0x47470000, 0x7fffffe00000, 0x100000000000,
                                   0x200000, 0x40000000};
    for (std::uint64_t base : bases) {
      for (std::uint64_t i = 0; i < 20; ++i) {
        Result<Page> page = Page::create();
        KEOS_ASSERT(page.is_ok());
        KEOS_ASSERT(table.map(Va(base + i * kPageSize), page.take(),
                              Permission::kRead | Permission::kUser)
                        .is_ok());
      }
    }
    // A frame shared with a second owner survives the teardown with one reference.
    Result<Page> shared = Page::create();
    KEOS_ASSERT(shared.is_ok());
    Page keep = shared.value().clone_ref();
    KEOS_ASSERT(table.map(Va(0x600000), shared.take(), Permission::kRead).is_ok());
    KEOS_ASSERT_EQ(keep.refcount(), 2u);
    KEOS_ASSERT(mm::free_frame_count() < before - 120);
    // `table` goes here, then `keep`.
  }
  KEOS_ASSERT_EQ(mm::free_frame_count(), before);
}
