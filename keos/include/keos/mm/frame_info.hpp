/// \file
/// Per-frame metadata: one FrameInfo for every 4 KiB physical frame, indexed by frame number
/// (pa / 4096). It holds the frame's reference count (copy-on-write shares frames between
/// address spaces; a frame is freed when its last reference goes) and the buddy allocator's
/// bookkeeping.
#pragma once

#include <atomic>
#include <cstdint>

namespace keos::mm {

/// Where a frame stands in the buddy allocator.
enum class FrameState : std::uint8_t {
  kReserved = 0,  ///< not managed: firmware, kernel image, metadata, holes
  kFree,          ///< head of a free block of 2^order frames
  kAllocated,     ///< head of an allocated block of 2^order frames
  kInner,         ///< inside a block, not its head
  kCached,        ///< a free single frame on the FrameCache, outside the buddy's lists
};

/// What an allocated frame is used for (diagnostics, and the heap's bookkeeping).
enum class FrameUsage : std::uint8_t {
  kNone = 0,   ///< not allocated
  kGeneric,    ///< anything not listed below
  kHeapSlab,   ///< a page of small heap objects
  kHeapLarge,  ///< a large heap object
  kStack,      ///< a kernel stack
  kPageTable,  ///< a page-table page
  kUserData,   ///< a page mapped into a user address space
};

/// The metadata of one physical frame (16 bytes). The buddy fields belong to the
/// allocator and change only under its lock; the reference count is atomic.
struct FrameInfo {
  /// References to an allocated block (on its head frame). Starts at 1.
  std::atomic<std::uint32_t> refcount;
  std::uint32_t next;  ///< free-list links while a free head (frame numbers)
  std::uint32_t prev;  ///< the other free-list link
  FrameState state;    ///< see FrameState
  std::uint8_t order;  ///< block size 2^order frames, on heads
  FrameUsage usage;    ///< what the block was allocated for, on allocated heads
  std::uint8_t reserved;  ///< padding, 0
};
static_assert(sizeof(FrameInfo) == 16);

}  // namespace keos::mm
