// Page, PageRef and frame reference counts over the host machine: a new page is zero-filled
// and holds one reference, Page is a move-only owner, clone_ref() shares the frame, the
// frame is freed exactly when its last reference goes, into_raw()/from_raw() hand the
// reference over unchanged, and copy_page() copies a whole frame.
#include <keos/mm/page.hpp>

#include <cstring>
#include <type_traits>
#include <utility>
#include <vector>

#include <keos/mm/frame_alloc.hpp>

#include "catch.hpp"
#include "host_machine.hpp"
#include "host_panic.hpp"

using namespace keos;
using keos::host::HostMachine;

static_assert(!std::is_copy_constructible_v<Page>);
static_assert(!std::is_copy_assignable_v<Page>);
static_assert(std::is_move_constructible_v<Page>);
static_assert(std::is_move_assignable_v<Page>);

namespace {

bool all_bytes(const std::uint8_t* p, std::uint8_t value) {
  for (std::size_t i = 0; i < kPageSize; ++i) {
    if (p[i] != value) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("page: a new page is zero-filled even where a freed page was written") {
  HostMachine m(64);
  std::vector<Page> pages;
  for (int i = 0; i < 16; ++i) {
    pages.push_back(Page::create().take());
    std::memset(pages.back().data(), 0xff, kPageSize);
  }
  pages.clear();
  for (int i = 0; i < 16; ++i) {
    Page p = Page::create().take();
    CHECK(p.pa().is_page_aligned());
    CHECK(p.pa().value() != 0);
    CHECK(all_bytes(p.data(), 0));
  }
}

TEST_CASE("page: one reference on creation; the frame goes with the last reference") {
  HostMachine m(64);
  std::size_t before = m.free_frames();
  Page a = Page::create().take();
  Pa pa = a.pa();
  CHECK(a.refcount() == 1);
  CHECK(m.free_frames() == before - 1);
  {
    Page b = a.clone_ref();
    CHECK(b.pa() == pa);
    CHECK(a.refcount() == 2);
    Page c = b.clone_ref();
    CHECK(mm::frame_refcount(pa) == 3);
    b.data()[10] = 7;
    CHECK(c.data()[10] == 7);  // one frame, seen through every reference
  }
  CHECK(a.refcount() == 1);
  CHECK(m.free_frames() == before - 1);
  a = Page::create().take();  // assignment drops the old reference: the frame is freed
  CHECK(mm::frame_refcount(pa) == 0);
  CHECK(m.free_frames() == before - 1);
}

TEST_CASE("page: moves transfer the reference and leave the source empty") {
  HostMachine m(64);
  std::size_t before = m.free_frames();
  {
    Page a = Page::create().take();
    Pa pa = a.pa();
    Page b(std::move(a));
    CHECK(a.pa().value() == 0);
    CHECK(a.refcount() == 0);
    CHECK(b.pa() == pa);
    CHECK(b.refcount() == 1);
    Page c = Page::create().take();
    Pa other = c.pa();
    c = std::move(b);  // c's old frame is released, b's is taken over
    CHECK(mm::frame_refcount(other) == 0);
    CHECK(c.pa() == pa);
    CHECK(c.refcount() == 1);
    Page& same = c;
    c = std::move(same);  // self-assignment keeps the page
    CHECK(c.pa() == pa);
    CHECK(c.refcount() == 1);
    CHECK(m.free_frames() == before - 1);
  }
  CHECK(m.free_frames() == before);
}

TEST_CASE("page: into_raw and from_raw hand the reference over unchanged") {
  HostMachine m(64);
  std::size_t before = m.free_frames();
  Page a = Page::create().take();
  Pa raw = std::move(a).into_raw();
  CHECK(a.pa().value() == 0);
  CHECK(mm::frame_refcount(raw) == 1);  // still held, by nobody's destructor
  CHECK(m.free_frames() == before - 1);
  {
    Page back = Page::from_raw(raw);
    CHECK(back.pa() == raw);
    CHECK(back.refcount() == 1);
  }
  CHECK(mm::frame_refcount(raw) == 0);
  CHECK(m.free_frames() == before);
  CHECK_THROWS_AS(Page::from_raw(Pa(0)), HostPanic);
  CHECK_THROWS_AS(Page::from_raw(Pa(0x2010)), HostPanic);
}

TEST_CASE("page: PageRef borrows; its clone_ref takes a reference of its own") {
  HostMachine m(64);
  std::size_t before = m.free_frames();
  Page owner = Page::create().take();
  PageRef view = owner.as_ref();
  CHECK(view.pa() == owner.pa());
  CHECK(view.data() == owner.data());
  CHECK(view.data() == phys_ptr<std::uint8_t>(owner.pa()));
  CHECK(owner.refcount() == 1);  // a view holds nothing
  Page second = view.clone_ref();
  CHECK(owner.refcount() == 2);
  owner = Page::create().take();
  CHECK(second.refcount() == 1);  // the frame outlived its first owner
  second = Page::create().take();
  CHECK(m.free_frames() == before - 2);
}

TEST_CASE("page: clone_ref of an empty page panics") {
  HostMachine m(16);
  Page a = Page::create().take();
  Page b(std::move(a));
  CHECK_THROWS_AS(a.clone_ref(), HostPanic);
}

TEST_CASE("page: copy_page copies every byte and leaves the source alone") {
  HostMachine m(16);
  Page src = Page::create().take();
  Page dst = Page::create().take();
  for (std::size_t i = 0; i < kPageSize; ++i) src.data()[i] = static_cast<std::uint8_t>(i * 7 + 3);
  std::memset(dst.data(), 0xee, kPageSize);
  copy_page(dst.as_ref(), src.as_ref());
  CHECK(std::memcmp(dst.data(), src.data(), kPageSize) == 0);
  CHECK(src.data()[0] == 3);
  CHECK(src.data()[kPageSize - 1] == static_cast<std::uint8_t>((kPageSize - 1) * 7 + 3));
  dst.data()[0] = 0;
  CHECK(src.data()[0] == 3);  // two frames, not one
}

TEST_CASE("page: creation fails cleanly when no frame is left") {
  HostMachine m(16);
  std::size_t before = m.free_frames();
  std::vector<Page> all;
  for (std::size_t i = 0; i < before; ++i) all.push_back(Page::create().take());
  CHECK(m.free_frames() == 0);
  CHECK(Page::create().error() == KernelError::kNoMemory);
  all.clear();
  CHECK(m.free_frames() == before);
}

TEST_CASE("page: copy_of gives a new frame with every byte of the source, one reference each") {
  HostMachine m(16);
  Page src = Page::create().take();
  for (std::size_t i = 0; i < kPageSize; ++i) src.data()[i] = static_cast<std::uint8_t>(i * 13 + 1);
  std::size_t free_before = mm::free_frame_count();
  {
    Page copy = Page::copy_of(src.as_ref()).take();
    CHECK(copy.pa() != src.pa());
    CHECK(std::memcmp(copy.data(), src.data(), kPageSize) == 0);
    CHECK(copy.refcount() == 1);
    CHECK(src.refcount() == 1);
    CHECK(mm::free_frame_count() == free_before - 1);
  }
  CHECK(mm::free_frame_count() == free_before);
}

TEST_CASE("page: copy_of fails cleanly when no frame is left") {
  HostMachine m(16);
  Page src = Page::create().take();
  std::vector<Page> hog;
  for (;;) {
    Result<Page> p = Page::create();
    if (p.is_err()) break;
    hog.push_back(p.take());
  }
  Result<Page> copy = Page::copy_of(src.as_ref());
  REQUIRE(copy.is_err());
  CHECK(copy.error() == KernelError::kNoMemory);
}
