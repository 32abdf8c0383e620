#include <keos/mm/frame_cache.hpp>

namespace keos::mm {

std::uint32_t FrameCache::allocate_slow(unsigned order, FrameUsage usage) {
  if (order == 0 && (top_ != BuddyAllocator::kNoFrame || refill())) return pop(usage);
  std::uint32_t frame = buddy_.allocate(order, usage);
  if (frame == BuddyAllocator::kNoFrame && cached_ != 0) {
    // The cached frames may be the missing halves of a block this large.
    drain();
    frame = buddy_.allocate(order, usage);
  }
  return frame;
}

void FrameCache::free(std::uint32_t frame) {
  const FrameInfo& f = buddy_.info(frame);
  if (f.state == FrameState::kAllocated && f.order == 0 && cached_ < kCapacity) {
    push(frame);
  } else {
    buddy_.free(frame);  // panics if `frame` is not an allocated block
  }
}

void FrameCache::drain() {
  while (top_ != BuddyAllocator::kNoFrame) {
    std::uint32_t frame = top_;
    FrameInfo& f = buddy_.info(frame);
    top_ = f.next;
    f.state = FrameState::kAllocated;  // what BuddyAllocator::free takes back
    buddy_.free(frame);
  }
  cached_ = 0;
}

void FrameCache::push(std::uint32_t frame) {
  FrameInfo& f = buddy_.info(frame);
  f.state = FrameState::kCached;
  f.order = 0;
  f.usage = FrameUsage::kNone;
  f.refcount.store(0, std::memory_order_relaxed);
  f.next = top_;
  top_ = frame;
  ++cached_;
}

bool FrameCache::refill() {
  // The smallest block there is, up to 2^kRefillOrder frames: like the buddy's own choice
  // for a single frame, it leaves larger blocks whole for the callers that need them.
  unsigned order = 0;
  while (order < kRefillOrder && !buddy_.has_free_block(order)) ++order;
  std::uint32_t block = buddy_.allocate(order, FrameUsage::kNone);  // splits if it must
  if (block == BuddyAllocator::kNoFrame) return false;
  // Pushed from the top down, so that the block's first frame is handed out first.
  for (std::uint32_t i = 1u << order; i-- > 0;) push(block + i);
  return true;
}

}  // namespace keos::mm
