#include <keos/mm/buddy.hpp>

#include <abyss/panic.hpp>
#include <abyss/string.hpp>

namespace keos::mm {

void BuddyAllocator::init(FrameInfo* frames, std::size_t count) {
  KASSERT(count < kNoFrame);
  frames_ = frames;
  count_ = count;
  memset(static_cast<void*>(frames), 0, count * sizeof(FrameInfo));  // all kReserved
  for (auto& head : heads_) head = kNoFrame;
  free_frames_ = 0;
  managed_frames_ = 0;
}

void BuddyAllocator::add_free_range(std::uint32_t first, std::uint32_t last) {
  KASSERT(first <= last && last <= count_);
  std::uint32_t frame = first;
  while (frame < last) {
    // The largest aligned block that starts here and fits in the range.
    unsigned order = 0;
    while (order < kMaxOrder && (frame & ((2u << order) - 1)) == 0 &&
           frame + (2u << order) <= last) {
      ++order;
    }
    for (std::uint32_t f = frame; f < frame + (1u << order); ++f) {
      KASSERT(frames_[f].state == FrameState::kReserved);
      frames_[f].state = FrameState::kInner;
    }
    managed_frames_ += 1u << order;
    release(frame, order);
    frame += 1u << order;
  }
}

std::uint32_t BuddyAllocator::allocate(unsigned order, FrameUsage usage) {
  if (order > kMaxOrder) return kNoFrame;
  unsigned k = order;
  while (k <= kMaxOrder && heads_[k] == kNoFrame) ++k;
  if (k > kMaxOrder) return kNoFrame;
  std::uint32_t frame = heads_[k];
  remove(frame, k);
  while (k > order) {  // split: the upper half goes back on the next list down
    --k;
    push(frame + (1u << k), k);
  }
  FrameInfo& head = frames_[frame];
  head.state = FrameState::kAllocated;
  head.order = static_cast<std::uint8_t>(order);
  head.usage = usage;
  head.refcount.store(1, std::memory_order_relaxed);
  free_frames_ -= 1u << order;
  return frame;
}

void BuddyAllocator::free(std::uint32_t frame) {
  KASSERT(frame < count_);
  FrameInfo& head = frames_[frame];
  if (head.state != FrameState::kAllocated) {
    abyss::panic("freeing frame 0x%x that is not an allocated block (state %d)", frame,
                 static_cast<int>(head.state));
  }
  head.usage = FrameUsage::kNone;
  head.refcount.store(0, std::memory_order_relaxed);
  release(frame, head.order);
}

std::size_t BuddyAllocator::free_blocks(unsigned order) const {
  std::size_t n = 0;
  for (std::uint32_t f = heads_[order]; f != kNoFrame; f = frames_[f].next) ++n;
  return n;
}

void BuddyAllocator::release(std::uint32_t frame, unsigned order) {
  frames_[frame].state = FrameState::kInner;
  free_frames_ += 1u << order;
  while (order < kMaxOrder) {
    std::uint32_t buddy = frame ^ (1u << order);
    if (buddy >= count_) break;
    const FrameInfo& b = frames_[buddy];
    if (b.state != FrameState::kFree || b.order != order) break;
    remove(buddy, order);
    frames_[buddy].state = FrameState::kInner;
    frame &= ~(1u << order);
    ++order;
  }
  push(frame, order);
}

void BuddyAllocator::push(std::uint32_t frame, unsigned order) {
  FrameInfo& f = frames_[frame];
  f.state = FrameState::kFree;
  f.order = static_cast<std::uint8_t>(order);
  f.prev = kNoFrame;
  f.next = heads_[order];
  if (f.next != kNoFrame) frames_[f.next].prev = frame;
  heads_[order] = frame;
}

void BuddyAllocator::remove(std::uint32_t frame, unsigned order) {
  FrameInfo& f = frames_[frame];
  if (f.prev != kNoFrame) {
    frames_[f.prev].next = f.next;
  } else {
    heads_[order] = f.next;
  }
  if (f.next != kNoFrame) frames_[f.next].prev = f.prev;
  f.state = FrameState::kInner;
}

}  // namespace keos::mm
