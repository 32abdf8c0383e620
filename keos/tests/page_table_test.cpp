// PageTable over the host machine's fake physical memory: map/walk/walk_mut/unmap, the
// permission-to-PTE matrix, the exact KernelError of each refused request, protect and the
// TLB invalidations it records (only once invalidate() runs), for_each_present, changes
// that hop between 2 MiB regions (the remembered leaf table), teardown (every leaf reference and table page freed), a StaleTLBEntry dropped without
// invalidate(), and running out of frames in the middle of map().
#include <keos/mm/page_table.hpp>

#include <algorithm>
#include <utility>
#include <vector>

#include <keos/mm/frame_alloc.hpp>

#include "catch.hpp"
#include "host_machine.hpp"
#include "host_panic.hpp"
#include "map_new.hpp"

using namespace keos;
using keos::host::HostMachine;
using keos::host::Invalidation;
using keos::host::kUserRo;
using keos::host::kUserRw;
using keos::host::map_new;

namespace {

// The entry bits a leaf for `perm` must have, written out independently of Pte::leaf.
std::uint64_t expected_flags(Permission perm) {
  std::uint64_t flags = Pte::kPresent;
  if (has(perm, Permission::kWrite)) flags |= Pte::kWritable;
  if (has(perm, Permission::kUser)) flags |= Pte::kUser;
  if (!has(perm, Permission::kExecutable)) flags |= Pte::kNoExecute;
  return flags;
}

}  // namespace

TEST_CASE("page table: map, walk, unmap with a recorded invalidation") {
  HostMachine m(256);
  std::size_t before = m.free_frames();
  {
    PageTable pt = PageTable::create().take();
    Pa pa = map_new(pt, Va(0x401000));
    Pte pte = pt.walk(Va(0x401234)).take();
    CHECK(pte.pa() == pa);
    CHECK(pte.raw() ==
          (pa.value() | Pte::kPresent | Pte::kWritable | Pte::kUser | Pte::kNoExecute));
    StaleTLBEntry stale = pt.unmap(Va(0x401000)).take();
    CHECK(stale.va() == Va(0x401000));
    CHECK(m.invalidations().empty());
    CHECK(pt.walk(Va(0x401000)).error() == KernelError::kNoSuchEntry);
    Page old = stale.invalidate();
    CHECK(old.pa() == pa);
    CHECK(old.refcount() == 1);  // the mapping's reference, handed back
    CHECK(m.invalidations() == std::vector<Invalidation>{{pt.root(), 0x401000}});
  }
  CHECK(m.free_frames() == before);
}

TEST_CASE("page table: a new table has an empty user half and the shared kernel half") {
  HostMachine m(64);
  PageTable a = PageTable::create().take();
  PageTable b = PageTable::create().take();
  CHECK(a.root() != b.root());
  const Pte* kernel = phys_ptr<Pte>(Pa(kPageSize));  // the fake boot PML4 (frame 1)
  const Pte* pml4 = phys_ptr<Pte>(a.root());
  for (int i = 0; i < 256; ++i) CHECK(pml4[i].raw() == 0);
  for (int i = 256; i < 512; ++i) CHECK(pml4[i] == kernel[i]);
  CHECK(a.active_cpus() == 0);
}

TEST_CASE("page table: the permission-to-PTE matrix") {
  HostMachine m(256);
  PageTable pt = PageTable::create().take();
  for (unsigned bits = 0; bits < 16; ++bits) {
    auto perm = static_cast<Permission>(bits);
    Va va(0x10000000 + bits * kPageSize);
    INFO("permission bits " << bits);
    Page page = Page::create().take();
    Pa pa = page.pa();
    CHECK(Pte::leaf(pa, perm).raw() == (pa.value() | expected_flags(perm)));
    Result<void> mapped = pt.map(va, std::move(page), perm);
    if (!has(perm, Permission::kRead)) {
      CHECK(mapped.error() == KernelError::kInvalidArgument);
      CHECK(mm::frame_refcount(pa) == 0);  // the refused page was dropped
      CHECK(pt.walk(va).error() == KernelError::kNoSuchEntry);
      continue;
    }
    REQUIRE(mapped.is_ok());
    Pte pte = pt.walk(va).take();
    CHECK(pte.raw() == (pa.value() | expected_flags(perm)));
    CHECK(pte.permission() == perm);
    CHECK(pte.writable() == has(perm, Permission::kWrite));
    CHECK(pte.user() == has(perm, Permission::kUser));
    CHECK(pte.executable() == has(perm, Permission::kExecutable));
  }
}

TEST_CASE("page table: map refuses bad requests with the exact error and drops the page") {
  HostMachine m(256);
  PageTable pt = PageTable::create().take();
  Pa first = map_new(pt, Va(0x600000));
  std::size_t free_before = m.free_frames();

  auto try_map = [&](Va va, Permission perm) { return pt.map(va, Page::create().take(), perm); };
  CHECK(try_map(Va(0x600008), kUserRw).error() == KernelError::kInvalidArgument);
  CHECK(try_map(Va(0x601800), kUserRw).error() == KernelError::kInvalidArgument);
  CHECK(try_map(Va(kUserEnd), kUserRw).error() == KernelError::kInvalidArgument);
  CHECK(try_map(Va(0xffffff0000200000), kUserRw).error() == KernelError::kInvalidArgument);
  CHECK(try_map(Va(0x602000), Permission::kWrite | Permission::kUser).error() ==
        KernelError::kInvalidArgument);
  CHECK(try_map(Va(0x600000), kUserRo).error() == KernelError::kExists);
  CHECK(m.free_frames() == free_before);  // every refused page went back

  Pte pte = pt.walk(Va(0x600000)).take();  // the first mapping is untouched
  CHECK(pte.pa() == first);
  CHECK(pte.writable());
  CHECK(mm::frame_refcount(first) == 1);
  CHECK(pt.walk(Va(0x602000)).error() == KernelError::kNoSuchEntry);
}

TEST_CASE("page table: the last user page maps; walk refuses kernel addresses") {
  HostMachine m(64);
  PageTable pt = PageTable::create().take();
  Va last(kUserEnd - kPageSize);
  Pa pa = map_new(pt, last);
  CHECK(pt.walk(Va(kUserEnd - 1)).take().pa() == pa);
  CHECK(pt.walk(Va(kUserEnd)).error() == KernelError::kInvalidArgument);
  CHECK(pt.walk_mut(Va(kUserEnd)).error() == KernelError::kInvalidArgument);
  CHECK(pt.walk(Va(0xffffff0000100000)).error() == KernelError::kInvalidArgument);
  StaleTLBEntry stale = pt.unmap(last).take();
  stale.invalidate();
}

TEST_CASE("page table: walk and unmap of absent or unaligned pages") {
  HostMachine m(64);
  PageTable pt = PageTable::create().take();
  CHECK(pt.walk(Va(0x401000)).error() == KernelError::kNoSuchEntry);  // no tables at all
  CHECK(pt.unmap(Va(0x401000)).error() == KernelError::kNoSuchEntry);
  map_new(pt, Va(0x401000));
  // Same leaf table, other entry: the tables exist, the entry does not.
  CHECK(pt.walk(Va(0x402000)).error() == KernelError::kNoSuchEntry);
  CHECK(pt.walk_mut(Va(0x402000)).error() == KernelError::kNoSuchEntry);
  CHECK(pt.unmap(Va(0x402000)).error() == KernelError::kNoSuchEntry);
  CHECK(pt.unmap(Va(0x401010)).error() == KernelError::kInvalidArgument);
  CHECK(pt.unmap(Va(kUserEnd)).error() == KernelError::kInvalidArgument);
  CHECK(m.invalidations().empty());

  StaleTLBEntry stale = pt.unmap(Va(0x401000)).take();
  CHECK(pt.unmap(Va(0x401000)).error() == KernelError::kNoSuchEntry);  // only once
  stale.invalidate();
  CHECK(m.invalidations().size() == 1);
}

TEST_CASE("page table: a downgrade invalidates exactly the pages changed, when asked") {
  HostMachine m(256);
  PageTable pt = PageTable::create().take();
  std::vector<Pa> frames;
  for (std::uint64_t i = 0; i < 4; ++i) frames.push_back(map_new(pt, Va(0x800000 + i * kPageSize)));
  // Page 1 has been written by the hardware: protect must keep accessed and dirty.
  PteSlot slot = pt.walk_mut(Va(0x801000)).take();
  slot.set_raw(slot.get().with_flags(Pte::kAccessed | Pte::kDirty));

  StaleTLBEntry s1 = pt.protect(Va(0x801000), kUserRo).take();
  StaleTLBEntry s3 = pt.protect(Va(0x803000), kUserRo).take();
  CHECK(m.invalidations().empty());           // recorded only by invalidate()
  CHECK(mm::frame_refcount(frames[1]) == 2);  // the stale entry keeps the frame alive

  Pte p1 = pt.walk(Va(0x801000)).take();
  CHECK(p1.raw() == (frames[1].value() | Pte::kPresent | Pte::kUser | Pte::kNoExecute |
                     Pte::kAccessed | Pte::kDirty));
  CHECK(!pt.walk(Va(0x803000)).take().writable());
  CHECK(pt.walk(Va(0x800000)).take().writable());  // neighbours untouched
  CHECK(pt.walk(Va(0x802000)).take().writable());

  CHECK(s3.invalidate().pa() == frames[3]);
  CHECK(s1.invalidate().pa() == frames[1]);
  CHECK(m.invalidations() ==
        std::vector<Invalidation>{{pt.root(), 0x803000}, {pt.root(), 0x801000}});
  for (Pa pa : frames) CHECK(mm::frame_refcount(pa) == 1);
}

TEST_CASE("page table: protect refuses bad requests and leaves the entry alone") {
  HostMachine m(64);
  PageTable pt = PageTable::create().take();
  map_new(pt, Va(0x5000));
  CHECK(pt.protect(Va(0x5001), kUserRo).error() == KernelError::kInvalidArgument);
  CHECK(pt.protect(Va(0x6000), kUserRo).error() == KernelError::kNoSuchEntry);
  CHECK(pt.protect(Va(kUserEnd), kUserRo).error() == KernelError::kInvalidArgument);
  CHECK(pt.protect(Va(0x5000), Permission::kUser).error() == KernelError::kInvalidArgument);
  CHECK(pt.walk(Va(0x5000)).take().permission() == kUserRw);
  CHECK(m.invalidations().empty());
  // An upgrade works too (and is invalidated like any change).
  StaleTLBEntry up = pt.protect(Va(0x5000), kUserRw | Permission::kExecutable).take();
  up.invalidate();
  CHECK(pt.walk(Va(0x5000)).take().executable());
}

TEST_CASE("page table: for_each_present visits every leaf once, in address order") {
  HostMachine m(512);
  PageTable pt = PageTable::create().take();
  // Spread over every level: other leaf tables, directories, PDPTs and PML4 slots.
  std::vector<std::uint64_t> vas = {0x7ffffffff000, 0x1000,   0x40000000, 0x8000000000,
                                    0x200000,       0x201000, 0x0,        0x3ff000};
  std::vector<std::pair<std::uint64_t, Pa>> mapped;
  for (std::uint64_t va : vas) mapped.emplace_back(va, map_new(pt, Va(va)));
  std::sort(mapped.begin(), mapped.end());

  std::vector<std::pair<std::uint64_t, Pa>> seen;
  pt.for_each_present([&](PteSlot slot) { seen.emplace_back(slot.va().value(), slot.get().pa()); });
  CHECK(seen == mapped);

  // Write-protect everything through the slots; invalidate each change.
  std::vector<StaleTLBEntry> stale;
  pt.for_each_present([&](PteSlot slot) { stale.push_back(slot.set_permission(kUserRo)); });
  for (StaleTLBEntry& s : stale) s.invalidate();
  std::vector<Invalidation> expected;
  for (auto& [va, pa] : mapped) {
    expected.push_back({pt.root(), va});
    CHECK(!pt.walk(Va(va)).take().writable());
  }
  CHECK(m.invalidations() == expected);
}

TEST_CASE("page table: try_for_each_present stops at the first error and returns it") {
  HostMachine m(512);
  PageTable pt = PageTable::create().take();
  std::vector<std::uint64_t> vas = {0x1000, 0x2000, 0x200000, 0x40000000, 0x8000000000};
  for (std::uint64_t va : vas) map_new(pt, Va(va));

  // Every entry visited, in order, when nothing fails.
  std::vector<std::uint64_t> seen;
  Result<void> all = pt.try_for_each_present([&](PteSlot slot) -> Result<void> {
    seen.push_back(slot.va().value());
    return Ok();
  });
  CHECK(all.is_ok());
  CHECK(seen == vas);

  // The third visit fails (through TRY): no fourth visit, and its error comes back.
  seen.clear();
  auto fail_at_third = [&](Va va) -> Result<void> {
    if (va == Va(0x200000)) return Err(KernelError::kNoMemory);
    return Ok();
  };
  Result<void> stopped = pt.try_for_each_present([&](PteSlot slot) -> Result<void> {
    seen.push_back(slot.va().value());
    TRY(fail_at_third(slot.va()));
    return Ok();
  });
  REQUIRE(stopped.is_err());
  CHECK(stopped.error() == KernelError::kNoMemory);
  CHECK(seen == std::vector<std::uint64_t>{0x1000, 0x2000, 0x200000});
}

TEST_CASE("page table: teardown frees every leaf reference and every table page") {
  HostMachine m(1024);
  std::size_t before = m.free_frames();
  Page kept = Page::create().take();
  {
    PageTable pt = PageTable::create().take();
    for (std::uint64_t i = 0; i < 600; ++i) map_new(pt, Va(0x10000000 + i * kPageSize));
    map_new(pt, Va(0x7ffffffff000));
    map_new(pt, Va(0x8000000000));
    // One frame shared with the test and mapped twice: three references.
    REQUIRE(pt.map(Va(0x20000000), kept.clone_ref(), kUserRo).is_ok());
    REQUIRE(pt.map(Va(0x20001000), kept.clone_ref(), kUserRo).is_ok());
    CHECK(kept.refcount() == 3);
    // In use: `kept`, 602 pages, the root, and 11 tables: PDPT, directory and two leaf
    // tables for the run of 600; a leaf table for 0x20000000; three each for the two
    // addresses in PML4 slots of their own.
    CHECK(before - m.free_frames() == 1 + 602 + 1 + 11);
  }
  CHECK(kept.refcount() == 1);
  CHECK(m.free_frames() == before - 1);
  CHECK(m.invalidations().empty());  // teardown of an unloaded table needs no shootdown
  kept = Page::create().take();      // drops the old frame, takes another
  CHECK(m.free_frames() == before - 1);
}

TEST_CASE("page table: a moved-from table owns nothing") {
  HostMachine m(64);
  std::size_t before = m.free_frames();
  {
    PageTable a = PageTable::create().take();
    Pa pa = map_new(a, Va(0x3000));
    Pa root = a.root();
    PageTable b(std::move(a));
    CHECK(b.root() == root);
    CHECK(b.walk(Va(0x3000)).take().pa() == pa);
  }
  CHECK(m.free_frames() == before);
}

TEST_CASE("page table: changes that hop between 2 MiB regions and tables land where they belong") {
  // map, walk_mut and unmap remember the last last-level table they used; walk() does not
  // (it walks from the root), so it checks every change independently.
  HostMachine m(256);
  std::size_t before = m.free_frames();
  {
    PageTable a = PageTable::create().take();
    PageTable b = PageTable::create().take();
    const Va near(0x400000), far(0x7f0000000000), next_region(0x600000);
    std::vector<std::pair<Va, Pa>> in_a, in_b;
    for (int i = 0; i < 4; ++i) {  // a: near, far, near, far...; b in between
      Va off(static_cast<std::uint64_t>(i) * kPageSize);
      in_a.emplace_back(near + off.value(), map_new(a, near + off.value()));
      in_b.emplace_back(near + off.value(), map_new(b, near + off.value()));
      in_a.emplace_back(far + off.value(), map_new(a, far + off.value()));
    }
    in_a.emplace_back(next_region, map_new(a, next_region));
    in_a.emplace_back(next_region - kPageSize, map_new(a, next_region - kPageSize));
    for (auto [va, pa] : in_a) CHECK(a.walk(va).take().pa() == pa);
    for (auto [va, pa] : in_b) CHECK(b.walk(va).take().pa() == pa);
    CHECK(b.walk(far).error() == KernelError::kNoSuchEntry);
    CHECK(a.walk_mut(near + 9 * kPageSize).error() == KernelError::kNoSuchEntry);
    CHECK(a.walk_mut(far + 5).take().get().pa() == in_a[1].second);

    PageTable moved(std::move(a));  // the new owner carries on from the same tables
    Pa extra = map_new(moved, near + 8 * kPageSize);
    CHECK(moved.walk(near + 8 * kPageSize).take().pa() == extra);
    StaleTLBEntry gone = moved.unmap(far).take();
    CHECK(moved.walk(far).error() == KernelError::kNoSuchEntry);
    CHECK(moved.walk(far + kPageSize).take().pa() == in_a[3].second);
    gone.invalidate();
  }
  CHECK(m.free_frames() == before);
}

TEST_CASE("page table: a StaleTLBEntry dropped without invalidate() panics") {
  HostMachine m(64);
  std::size_t before = m.free_frames();
  {
    PageTable pt = PageTable::create().take();
    Pa pa = map_new(pt, Va(0x4000));
    auto drop = [&] { StaleTLBEntry forgotten = pt.unmap(Va(0x4000)).take(); };
    REQUIRE_THROWS_AS(drop(), HostPanic);
    CHECK(mm::frame_refcount(pa) == 0);  // its page was still released
    CHECK(m.invalidations().empty());
    // A moved-from entry may be dropped; the one it moved into is invalidated.
    map_new(pt, Va(0x4000));
    StaleTLBEntry a = pt.unmap(Va(0x4000)).take();
    StaleTLBEntry b(std::move(a));
    b.invalidate();
  }
  CHECK(m.free_frames() == before);
}

TEST_CASE("page table: tlb_shutdown flushes the whole table") {
  HostMachine m(64);
  PageTable pt = PageTable::create().take();
  tlb_shutdown(pt);
  CHECK(m.invalidations() == std::vector<Invalidation>{{pt.root(), Invalidation::kAll}});
}

TEST_CASE("page table: out of frames in map gives kNoMemory and leaks nothing") {
  HostMachine m(128);
  std::size_t before = m.free_frames();
  {
    PageTable pt = PageTable::create().take();
    // A fresh region needs a PDPT, a directory and a leaf table: fail at each in turn.
    for (long allowed = 0; allowed < 3; ++allowed) {
      Va va(0x8000000000 * static_cast<std::uint64_t>(allowed + 1));
      Page page = Page::create().take();
      Pa pa = page.pa();
      m.fail_allocations_after(allowed);
      CHECK(pt.map(va, std::move(page), kUserRw).error() == KernelError::kNoMemory);
      m.fail_allocations_after(-1);
      CHECK(mm::frame_refcount(pa) == 0);
      CHECK(pt.walk(va).error() == KernelError::kNoSuchEntry);
    }
    Page neighbour = Page::create().take();
    m.fail_allocations_after(4);  // the page and three tables: just enough
    map_new(pt, Va(0x8000000000 * 4));
    CHECK(PageTable::create().error() == KernelError::kNoMemory);  // the allowance is spent
    CHECK(Page::create().error() == KernelError::kNoMemory);
    // The tables of a neighbouring page exist already: no allocation needed.
    CHECK(pt.map(Va(0x8000000000 * 4 + kPageSize), std::move(neighbour), kUserRw).is_ok());
    m.fail_allocations_after(-1);
  }
  CHECK(m.free_frames() == before);
}
