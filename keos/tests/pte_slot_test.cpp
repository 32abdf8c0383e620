// PteSlot, the handle to one leaf entry that walk_mut() gives: reading it, writing it raw,
// adding the write right without a flush (make_writable), and replace/clear, which hand
// the old frame to a StaleTLBEntry that keeps it alive until invalidate().
#include <keos/mm/page_table.hpp>

#include <utility>
#include <vector>

#include <keos/mm/frame_alloc.hpp>

#include "catch.hpp"
#include "host_machine.hpp"
#include "map_new.hpp"

using namespace keos;
using keos::host::HostMachine;
using keos::host::Invalidation;
using keos::host::kUserRo;
using keos::host::kUserRw;
using keos::host::map_new;

TEST_CASE("pte slot: walk_mut gives the slot of an unaligned address") {
  HostMachine m(64);
  PageTable pt = PageTable::create().take();
  Pa pa = map_new(pt, Va(0x7000));
  PteSlot slot = pt.walk_mut(Va(0x7abc)).take();
  CHECK(slot.va() == Va(0x7000));
  CHECK(slot.get().pa() == pa);
  // set_raw writes the entry as given: walk sees exactly that.
  slot.set_raw(slot.get().with_flags(Pte::kAccessed | Pte::kDirty));
  Pte pte = pt.walk(Va(0x7000)).take();
  CHECK(pte.accessed());
  CHECK(pte.dirty());
}

TEST_CASE("pte slot: make_writable adds write and nothing else, with no invalidation") {
  HostMachine m(64);
  PageTable pt = PageTable::create().take();
  Pa pa = map_new(pt, Va(0x9000), kUserRo);
  PteSlot slot = pt.walk_mut(Va(0x9000)).take();
  slot.set_raw(slot.get().with_flags(Pte::kAccessed));
  std::uint64_t before = slot.get().raw();
  slot.make_writable();
  Pte pte = pt.walk(Va(0x9000)).take();
  CHECK(pte.raw() == (before | Pte::kWritable));
  CHECK(pte.pa() == pa);
  CHECK(pte.permission() == kUserRw);  // still user, still not executable
  CHECK(pte.accessed());
  CHECK(mm::frame_refcount(pa) == 1);
  CHECK(m.invalidations().empty());
}

TEST_CASE("pte slot: replace and clear hand the old frame to the stale entry") {
  HostMachine m(128);
  std::size_t before = m.free_frames();
  {
    PageTable pt = PageTable::create().take();
    Pa old_pa = map_new(pt, Va(0x9000));
    phys_ptr<std::uint8_t>(old_pa)[0] = 0x5a;
    Page fresh = Page::create().take();
    Pa new_pa = fresh.pa();

    StaleTLBEntry replaced = pt.walk_mut(Va(0x9000)).take().replace(std::move(fresh), kUserRo);
    Pte pte = pt.walk(Va(0x9000)).take();
    CHECK(pte.pa() == new_pa);
    CHECK(pte.permission() == kUserRo);
    CHECK(mm::frame_refcount(old_pa) == 1);  // held by the stale entry alone
    CHECK(mm::frame_refcount(new_pa) == 1);  // held by the mapping
    Page old = replaced.invalidate();
    CHECK(old.pa() == old_pa);
    CHECK(old.data()[0] == 0x5a);  // still the old contents: nothing freed it early

    StaleTLBEntry cleared = pt.walk_mut(Va(0x9000)).take().clear();
    CHECK(pt.walk(Va(0x9000)).error() == KernelError::kNoSuchEntry);
    CHECK(mm::frame_refcount(new_pa) == 1);
    CHECK(cleared.invalidate().pa() == new_pa);
    CHECK(mm::frame_refcount(new_pa) == 0);  // the returned page was the last reference
    CHECK(m.invalidations() == std::vector<Invalidation>{{pt.root(), 0x9000}, {pt.root(), 0x9000}});
  }
  CHECK(m.free_frames() == before);
}
