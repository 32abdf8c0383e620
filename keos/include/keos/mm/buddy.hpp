/// \file
/// BuddyAllocator: the physical-frame allocator's algorithm, with no locking and no access
/// to the frames themselves (the caller locks, and zeroes what it hands out), so it is
/// host-testable over a FrameInfo array alone.
///
/// Free memory is kept as blocks of 2^order frames (order 0 .. kMaxOrder), each aligned to
/// its size, on one free list per order. Allocation splits a larger block when needed;
/// freeing merges a block with its free buddy as far as possible. Invariant: a FrameInfo is
/// in state kFree exactly when it heads a block on a free list.
#pragma once

#include <cstddef>
#include <cstdint>

#include <keos/mm/frame_info.hpp>

/// Physical memory: frames, their metadata, the frame allocator and the kernel heap.
namespace keos::mm {

/// The buddy algorithm over an array of FrameInfo (see the file comment). Not thread-safe.
class BuddyAllocator {
 public:
  static constexpr unsigned kMaxOrder = 10;  ///< blocks of up to 4 MiB
  /// The "no frame" result of allocate().
  static constexpr std::uint32_t kNoFrame = 0xffffffff;

  /// An allocator with no frames; init() gives it some.
  BuddyAllocator() = default;
  BuddyAllocator(const BuddyAllocator&) = delete;
  BuddyAllocator& operator=(const BuddyAllocator&) = delete;

  /// Takes the `count` entries at `frames` as the metadata of frames 0 .. count-1; every
  /// frame starts reserved. The array must outlive the allocator.
  void init(FrameInfo* frames, std::size_t count);
  /// Makes reserved frames [first, last) free.
  void add_free_range(std::uint32_t first, std::uint32_t last);

  /// Takes a block of 2^order frames; returns its first frame number (refcount 1, given
  /// `usage`), or kNoFrame if no block is large enough.
  std::uint32_t allocate(unsigned order, FrameUsage usage);
  /// Returns the allocated block headed by `frame` (whatever its refcount).
  void free(std::uint32_t frame);

  /// Frames currently on the free lists.
  std::size_t free_frames() const { return free_frames_; }
  /// Frames ever made free with add_free_range() (free or allocated now).
  std::size_t managed_frames() const { return managed_frames_; }
  /// The number of frames the metadata array covers.
  std::size_t frame_count() const { return count_; }
  /// True if a free block of exactly 2^order frames exists (no split needed to take one).
  bool has_free_block(unsigned order) const { return heads_[order] != kNoFrame; }
  /// Free blocks on the list of `order` (for tests and statistics).
  std::size_t free_blocks(unsigned order) const;

  /// The metadata of frame number `frame` (below frame_count()).
  FrameInfo& info(std::uint32_t frame) { return frames_[frame]; }
  /// The metadata of frame number `frame`, read-only.
  const FrameInfo& info(std::uint32_t frame) const { return frames_[frame]; }

 private:
  void push(std::uint32_t frame, unsigned order);
  void remove(std::uint32_t frame, unsigned order);
  void release(std::uint32_t frame, unsigned order);

  FrameInfo* frames_ = nullptr;
  std::size_t count_ = 0;
  std::uint32_t heads_[kMaxOrder + 1] = {};
  std::size_t free_frames_ = 0;
  std::size_t managed_frames_ = 0;
};

}  // namespace keos::mm
