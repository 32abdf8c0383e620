// MmStruct<LazyPager> over the host machine: access_ok on system-call buffers (inside one
// area, across adjacent areas, into gaps, writes to read-only areas, length 0, null,
// kernel addresses, the top of user space, lengths that wrap), mmap's argument checks
// (overflow-safe, nothing recorded and no frame taken when refused, the loader always
// taken), and munmap (exact start only, once; the area's pages freed and invalidated, its
// neighbours' kept).
#include <keos/process/lazy_pager.hpp>
#include <keos/process/mm_struct.hpp>

#include <cstdint>
#include <utility>

#include "catch.hpp"
#include "counting_loader.hpp"
#include "host_machine.hpp"

using namespace keos;
using keos::host::HostMachine;
using keos::host::Invalidation;

namespace {

constexpr Permission kRw = Permission::kRead | Permission::kWrite;
constexpr Permission kRo = Permission::kRead;
constexpr std::uint64_t kMax = ~0ull;

using keos::host::counting_loader;
using keos::host::CountingLoader;

using Mm = MmStruct<LazyPager>;

Mm new_mm() { return Mm::create().take(); }

void map_ok(Mm& mm, std::uint64_t addr, std::uint64_t len, Permission perm) {
  Result<Va> r = mm.mmap(Va(addr), len, perm, counting_loader());
  REQUIRE(r.is_ok());
  REQUIRE(r.value() == Va(addr));
}

KernelError map_error(Mm& mm, std::uint64_t addr, std::uint64_t len) {
  Result<Va> r = mm.mmap(Va(addr), len, kRw, counting_loader());
  REQUIRE(r.is_err());
  return r.error();
}

bool can_read(Mm& mm, std::uint64_t va, std::uint64_t len) {
  return mm.access_ok(Va(va), len, Access::kRead);
}

bool can_write(Mm& mm, std::uint64_t va, std::uint64_t len) {
  return mm.access_ok(Va(va), len, Access::kWrite);
}

}  // namespace

TEST_CASE("access_ok: ranges inside one area, across adjacent areas, into gaps") {
  HostMachine m(64);
  Mm mm = new_mm();
  map_ok(mm, 0x10000, 0x3000, kRw);  // A: [0x10000, 0x13000) read-write
  map_ok(mm, 0x13000, 0x2000, kRo);  // B: [0x13000, 0x15000) read-only, right after A
  map_ok(mm, 0x16000, 0x1000, kRw);  // C: [0x16000, 0x17000), a one-page gap before it
  map_ok(mm, 0x17000, 0x1000, kRw);  // D: [0x17000, 0x18000), right after C

  CHECK(can_read(mm, 0x10010, 100));
  CHECK(can_write(mm, 0x10010, 100));
  CHECK(can_write(mm, 0x10000, 0x3000));   // all of A, ending exactly at its end
  CHECK(can_read(mm, 0x10000, 0x5000));    // A and B
  CHECK(!can_write(mm, 0x10000, 0x3001));  // one byte into read-only B
  CHECK(can_read(mm, 0x12ff0, 0x20));
  CHECK(!can_write(mm, 0x12ff0, 0x20));
  CHECK(!can_write(mm, 0x13000, 1));    // B itself
  CHECK(can_write(mm, 0x16ff0, 0x20));  // across two adjacent writable areas
  CHECK(can_write(mm, 0x16000, 0x2000));

  CHECK(can_read(mm, 0x14000, 0x1000));   // ends where the gap starts
  CHECK(!can_read(mm, 0x14000, 0x1001));  // one byte into the gap
  CHECK(!can_read(mm, 0x14fff, 2));
  CHECK(!can_read(mm, 0x15000, 1));       // inside the gap
  CHECK(!can_read(mm, 0x15fff, 2));       // from the gap into C
  CHECK(!can_read(mm, 0x10000, 0x8000));  // A to D, over the gap
  CHECK(!can_read(mm, 0x18000, 1));       // after the last area
  CHECK(!can_read(mm, 0xf000, 0x1001));   // from before A into it
}

TEST_CASE("access_ok: length 0 checks the address itself") {
  HostMachine m(64);
  Mm mm = new_mm();
  map_ok(mm, 0x10000, 0x1000, kRw);
  map_ok(mm, 0x11000, 0x1000, kRo);
  CHECK(can_read(mm, 0x10005, 0));
  CHECK(can_write(mm, 0x10005, 0));
  CHECK(can_read(mm, 0x11005, 0));
  CHECK(!can_write(mm, 0x11005, 0));  // a read-only area
  CHECK(!can_read(mm, 0x12000, 0));   // unmapped
  CHECK(!can_read(mm, 0, 0));         // null
  CHECK(!can_read(mm, 0xffffff0000100000, 0));
}

TEST_CASE("access_ok: null, kernel and non-canonical addresses are never user memory") {
  HostMachine m(64);
  PageTable table = PageTable::create().take();
  LazyPager pager;
  // Straight through the pager (MmStruct would refuse): an area at page 0, and one at the
  // very top of user space.
  REQUIRE(pager.mmap(table, Va(0), 0x1000, kRw, counting_loader()).is_ok());
  REQUIRE(pager.mmap(table, Va(kUserEnd - 0x1000), 0x1000, kRw, counting_loader()).is_ok());
  CHECK(pager.access_ok(Va(0), 1, Access::kRead));  // the pager knows only its areas
  Mm mm(std::move(table), std::move(pager));

  CHECK(!can_read(mm, 0, 1));  // null, though mapped
  CHECK(!can_read(mm, 0, 0x1000));
  CHECK(can_read(mm, 8, 8));                        // the rest of page 0 is ordinary memory
  CHECK(can_write(mm, kUserEnd - 0x1000, 0x1000));  // up to the last user byte
  CHECK(can_write(mm, kUserEnd - 1, 1));
  CHECK(!can_read(mm, kUserEnd - 1, 2));  // one byte past user space
  CHECK(!can_read(mm, kUserEnd, 1));
  CHECK(!can_read(mm, kUserEnd, 0));
  CHECK(!can_read(mm, 0x0000800000001000, 8));  // non-canonical
  CHECK(!can_read(mm, 0xffff800000000000, 8));  // the kernel half
  CHECK(!can_read(mm, 0xffffff0000100000, 8));
  CHECK(!can_write(mm, 0xfffffffffffff000, 0x1000));
}

TEST_CASE("access_ok: lengths that overflow or wrap around fail") {
  HostMachine m(64);
  Mm mm = new_mm();
  map_ok(mm, 0x10000, 0x1000, kRw);
  map_ok(mm, kUserEnd - 0x1000, 0x1000, kRw);
  CHECK(!can_read(mm, 0x10000, kMax));
  CHECK(!can_read(mm, 0x10000, kMax - 0x10000 + 1));            // ends at exactly 2^64
  CHECK(!can_read(mm, 0x10100, kMax - 0x10100 + 0x10010 + 1));  // wraps back into the area
  CHECK(!can_read(mm, kUserEnd - 0x1000, kMax));
  CHECK(!can_read(mm, kUserEnd - 0x1000, kMax - (kUserEnd - 0x1000) + 0x10));
  CHECK(!can_write(mm, kUserEnd - 8, 1ull << 63));
  // The pager alone is overflow-safe too, whatever the caller checked.
  CHECK(!mm.pager().access_ok(Va(0x10100), kMax - 0x10100 + 0x10010 + 1, Access::kRead));
  CHECK(!mm.pager().access_ok(Va(0x10000), kMax, Access::kRead));
}

TEST_CASE("mmap: bad addresses and lengths are refused with kInvalidArgument") {
  HostMachine m(64);
  Mm mm = new_mm();
  std::size_t free_before = m.free_frames();
  CountingLoader::alive = 0;
  CHECK(map_error(mm, 0, 0x1000) == KernelError::kInvalidArgument);
  CHECK(map_error(mm, 0x10001, 0x1000) == KernelError::kInvalidArgument);
  CHECK(map_error(mm, 0x10800, 0x1000) == KernelError::kInvalidArgument);
  CHECK(map_error(mm, 0x10000, 0) == KernelError::kInvalidArgument);
  CHECK(map_error(mm, kUserEnd, 0x1000) == KernelError::kInvalidArgument);
  CHECK(map_error(mm, 0xffff800000000000, 0x1000) == KernelError::kInvalidArgument);
  CHECK(map_error(mm, 0xffffff0000100000, 0x1000) == KernelError::kInvalidArgument);
  CHECK(map_error(mm, 0xfffffffffffff000, 0x1000) == KernelError::kInvalidArgument);
  CHECK(map_error(mm, 0x1000000000000000, 0x1000) == KernelError::kInvalidArgument);
  CHECK(map_error(mm, kUserEnd - 0x1000, 0x2000) == KernelError::kInvalidArgument);
  CHECK(map_error(mm, kUserEnd - 0x1000, 0x1001) == KernelError::kInvalidArgument);
  CHECK(map_error(mm, 0x10000, kUserEnd) == KernelError::kInvalidArgument);
  CHECK(map_error(mm, 0x10000, kUserEnd + 1) == KernelError::kInvalidArgument);
  CHECK(map_error(mm, 0x10000, kMax) == KernelError::kInvalidArgument);
  CHECK(map_error(mm, 0x10000, kMax - 0xfff + 1) == KernelError::kInvalidArgument);  // rounds to 0
  CHECK(map_error(mm, 0x10000, kMax - 0x10000 + 1) == KernelError::kInvalidArgument);  // wraps to 0
  CHECK(map_error(mm, 0x10000, kMax - 0x10000 + 0x2001) == KernelError::kInvalidArgument);
  CHECK(map_error(mm, 0x10000, 1ull << 63) == KernelError::kInvalidArgument);
  CHECK(mm.pager().areas().size() == 0);  // nothing recorded
  CHECK(CountingLoader::alive == 0);      // every refused loader was deleted
  CHECK(m.free_frames() == free_before);  // and no frame taken

  map_ok(mm, kUserEnd - 0x2000, 0x2000, kRw);  // ending exactly at the end of user space
  map_ok(mm, 0x1000, 0x1000, kRw);             // the lowest page above null
  CHECK(mm.pager().areas().size() == 2);
  CHECK(m.free_frames() == free_before);  // lazy: still no frame
}

TEST_CASE("mmap: lengths round up to whole pages; overlaps are kInvalidArgument") {
  HostMachine m(64);
  Mm mm = new_mm();
  map_ok(mm, 0x10000, 1, kRw);
  map_ok(mm, 0x11000, 0x1001, kRo);
  const VmaSet& areas = mm.pager().areas();
  REQUIRE(areas.size() == 2);
  CHECK(areas[0].end == Va(0x11000));
  CHECK(areas[1].end == Va(0x13000));
  CHECK(areas[0].permission == (kRw | Permission::kUser));
  CHECK(areas[1].permission == (kRo | Permission::kUser));
  CHECK(map_error(mm, 0x10000, 0x1000) == KernelError::kInvalidArgument);
  CHECK(map_error(mm, 0x12000, 0x1000) == KernelError::kInvalidArgument);  // rounded part
  CHECK(map_error(mm, 0xf000, 0x1001) == KernelError::kInvalidArgument);   // rounds into it
  CHECK(map_error(mm, 0x8000, 0x10000) == KernelError::kInvalidArgument);  // around both
  map_ok(mm, 0xf000, 0x1000, kRw);                                         // right before
  map_ok(mm, 0x13000, 0x1000, kRw);                                        // right after
  CHECK(areas.size() == 4);
}

TEST_CASE("munmap: only a mapping's exact start, once; its pages are freed") {
  HostMachine m(64);
  std::size_t free_at_start = m.free_frames();
  CountingLoader::alive = 0;
  {
    Mm mm = new_mm();
    map_ok(mm, 0x10000, 0x3000, kRw);
    map_ok(mm, 0x13000, 0x1000, kRw);
    // Pages as the fault handler would have made them: two of the first area, one of the
    // second.
    PageTable& pt = mm.page_table();
    for (std::uint64_t va : {0x10000ull, 0x12000ull, 0x13000ull}) {
      REQUIRE(pt.map(Va(va), Page::create().take(), kRw | Permission::kUser).is_ok());
    }
    std::size_t free_mapped = m.free_frames();
    m.clear_invalidations();

    CHECK(mm.munmap(Va(0x10001)).error() == KernelError::kInvalidArgument);
    CHECK(mm.munmap(Va(0x11000)).error() == KernelError::kInvalidArgument);  // inside
    CHECK(mm.munmap(Va(0x0)).error() == KernelError::kInvalidArgument);
    CHECK(mm.munmap(Va(0x20000)).error() == KernelError::kInvalidArgument);
    CHECK(mm.munmap(Va(0xffffff0000100000)).error() == KernelError::kInvalidArgument);
    CHECK(m.invalidations().empty());
    CHECK(m.free_frames() == free_mapped);

    REQUIRE(mm.munmap(Va(0x10000)).is_ok());
    CHECK(m.free_frames() == free_mapped + 2);  // its two pages, not the neighbour's
    CHECK(m.invalidations() ==
          std::vector<Invalidation>{{pt.root(), 0x10000}, {pt.root(), 0x12000}});
    CHECK(pt.walk(Va(0x10000)).is_err());
    CHECK(pt.walk(Va(0x12000)).is_err());
    CHECK(pt.walk(Va(0x13000)).is_ok());
    CHECK(CountingLoader::alive == 1);
    CHECK(!can_read(mm, 0x10000, 1));
    CHECK(can_read(mm, 0x13000, 1));
    CHECK(mm.munmap(Va(0x10000)).error() == KernelError::kInvalidArgument);  // once
    map_ok(mm, 0x10000, 0x1000, kRo);  // the range is free again
  }
  CHECK(m.free_frames() == free_at_start);  // the table, its pages, everything
  CHECK(CountingLoader::alive == 0);
}
