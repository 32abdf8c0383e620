#include <keos/mm/page.hpp>

#include <keos/mm/frame_alloc.hpp>

namespace keos {

Result<Page> Page::create() {
  Pa pa = TRY(mm::alloc_frame(mm::FrameUsage::kUserData));
  return Page(pa);
}

Result<Page> Page::copy_of(PageRef src) {
  Page page(TRY(mm::alloc_frames(0, mm::FrameUsage::kUserData, mm::Fill::kUninitialized)));
  copy_page(page.as_ref(), src);
  return page;
}

Page& Page::operator=(Page&& other) {
  if (this != &other) {
    reset();
    pa_ = other.pa_;
    other.pa_ = Pa(0);
  }
  return *this;
}

PageRef Page::as_ref() const { return PageRef(pa_); }

std::uint32_t Page::refcount() const { return mm::frame_refcount(pa_); }

void copy_page(PageRef dst, PageRef src) {
  // A plain loop of 8-byte words: under emulation `rep movs` is far slower.
  auto* d = reinterpret_cast<std::uint64_t*>(dst.data());
  const auto* s = reinterpret_cast<const std::uint64_t*>(src.data());
  for (std::size_t i = 0; i < kPageSize / 8; ++i) d[i] = s[i];
}

}  // namespace keos
