#include <ktest/frame_hog.hpp>

#include <keos/mm/frame_alloc.hpp>

namespace ktest {
namespace {

constexpr unsigned kMaxOrder = 10;

// The header written at the start of each held block.
struct Held {
  keos::Pa next;
  unsigned order;
};

}  // namespace

void FrameHog::take_until(std::size_t leave) {
  // Big blocks first, so that even 512 MiB takes a few hundred allocations.
  for (int order = kMaxOrder; order >= 0; --order) {
    std::size_t block = std::size_t{1} << order;
    while (keos::mm::free_frame_count() >= leave + block) {
      // Not zeroed: the hog never reads them, and zeroing all of RAM on every point of a
      // sweep was most of the time of the out-of-memory tests under emulation.
      keos::Result<keos::Pa> pa = keos::mm::alloc_frames(order, keos::mm::FrameUsage::kGeneric,
                                                         keos::mm::Fill::kUninitialized);
      if (pa.is_err()) break;  // no block this large left: try smaller ones
      auto* held = keos::phys_ptr<Held>(pa.value());
      held->next = head_;
      held->order = static_cast<unsigned>(order);
      head_ = pa.value();
      held_ += block;
    }
  }
}

void FrameHog::release() {
  while (head_.value() != 0) {
    keos::Pa pa = head_;
    head_ = keos::phys_ptr<Held>(pa)->next;
    keos::mm::unref_frame(pa);
  }
  held_ = 0;
}

}  // namespace ktest
