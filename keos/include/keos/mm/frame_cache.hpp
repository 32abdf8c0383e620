/// \file
/// FrameCache: a stack of free single frames in front of the buddy allocator.
///
/// Most allocations are single frames (user pages, page-table pages, copy-on-write
/// copies). Through the buddy alone each one splits a larger block and each free merges it
/// back, a walk over several free lists every time. The cache keeps up to kCapacity freed
/// single frames on a last-in-first-out list (the most recently used frame is the one most
/// likely still in the CPU's caches) and refills itself with a whole block at once, the
/// smallest free one of up to 2^kRefillOrder frames (like the buddy's own choice for one
/// frame, so larger blocks stay whole for the callers that need them); so the common
/// single-frame allocation and free are a pop or a push.
///
/// Frames on the cache count as free (free_frames() includes them) and are in state
/// FrameState::kCached, so the buddy never merges them. Running out is still exact: when
/// the buddy cannot satisfy a request, the cache gives all its frames back (they merge
/// again) and the request is retried, so an allocation fails only when no suitable block
/// exists anywhere. Like BuddyAllocator it takes no lock; the caller serialises.
#pragma once

#include <cstddef>
#include <cstdint>

#include <keos/mm/buddy.hpp>

namespace keos::mm {

/// The single-frame cache over one BuddyAllocator (see the file comment). Not thread-safe.
class FrameCache {
 public:
  /// Most single frames the cache keeps; a free beyond that goes to the buddy.
  static constexpr std::size_t kCapacity = 64;
  /// A refill takes the smallest free block, up to 2^kRefillOrder frames.
  static constexpr unsigned kRefillOrder = 4;

  /// A cache in front of `buddy`, which must outlive it. Starts empty.
  constexpr explicit FrameCache(BuddyAllocator& buddy) : buddy_(buddy) {}
  FrameCache(const FrameCache&) = delete;
  FrameCache& operator=(const FrameCache&) = delete;

  /// Like BuddyAllocator::allocate: a block of 2^order frames with refcount 1 and `usage`,
  /// or BuddyAllocator::kNoFrame if no block that large is free, cached frames included.
  std::uint32_t allocate(unsigned order, FrameUsage usage) {
    if (order == 0 && top_ != BuddyAllocator::kNoFrame) return pop(usage);  // the common case
    return allocate_slow(order, usage);
  }
  /// Like BuddyAllocator::free: returns the allocated block headed by `frame`.
  void free(std::uint32_t frame);
  /// Gives every cached frame back to the buddy.
  void drain();

  /// Free frames: on the buddy's lists and on the cache.
  std::size_t free_frames() const { return buddy_.free_frames() + cached_; }
  /// Frames on the cache now.
  std::size_t cached() const { return cached_; }

 private:
  std::uint32_t pop(FrameUsage usage) {
    std::uint32_t frame = top_;
    FrameInfo& f = buddy_.info(frame);
    top_ = f.next;
    --cached_;
    f.state = FrameState::kAllocated;
    f.usage = usage;
    f.refcount.store(1, std::memory_order_relaxed);
    return frame;
  }
  std::uint32_t allocate_slow(unsigned order, FrameUsage usage);
  void push(std::uint32_t frame);
  bool refill();

  BuddyAllocator& buddy_;
  std::uint32_t top_ = BuddyAllocator::kNoFrame;  // the list, linked through FrameInfo::next
  std::size_t cached_ = 0;
};

}  // namespace keos::mm
