/// \file
/// The physical-frame allocator: a buddy allocator over every usable frame in the boot
/// memory map with a cache of single frames in front (FrameCache), behind one spin lock,
/// with a reference count per frame.
///
/// Frames come out zero-filled with one reference. ref_frame() adds a reference (a second
/// page table mapping the same frame for copy-on-write); unref_frame() drops one and frees
/// the block when the last goes. free_frame_count() is what tests compare before and after
/// to find leaks. Out of memory is an error value (KernelError::kNoMemory), never a panic.
#pragma once

#include <cstddef>
#include <cstdint>

#include <abyss/panic.hpp>
#include <keos/addressing.hpp>
#include <keos/mm/frame_info.hpp>
#include <keos/result.hpp>

namespace keos::mm {

/// Sets up the allocator from the boot memory map (BSP, once, before anything allocates).
void init_frame_allocator();

/// What a new block holds: zeros, or whatever was there (for a caller that overwrites all
/// of it at once, such as a copy: zeroing first would double the cost).
enum class Fill {
  kZero,           ///< every byte zero
  kUninitialized,  ///< whatever the frames held before
};

/// Allocates a block of 2^order frames (order 0: one 4 KiB frame), zeroed unless `fill`
/// says otherwise.
Result<Pa> alloc_frames(unsigned order, FrameUsage usage, Fill fill = Fill::kZero);
/// Allocates one zeroed frame with one reference; kNoMemory if none is free.
inline Result<Pa> alloc_frame(FrameUsage usage = FrameUsage::kGeneric) {
  return alloc_frames(0, usage);
}

namespace detail {
/// The metadata array (one FrameInfo per frame), published once by whoever owns the
/// frames: the kernel's init_frame_allocator(), or the host tests' fake machine. The
/// accessors below are inline because fork and every fault use them.
extern FrameInfo* g_frame_infos;
/// The number of entries of g_frame_infos.
extern std::size_t g_frame_count;
/// Returns the block at `pa`, whose last reference unref_frame() just dropped.
void free_block(Pa pa);
}  // namespace detail

/// The metadata of the frame holding `pa` (which must be below the end of RAM).
inline FrameInfo& frame_info(Pa pa) {
  std::uint64_t frame = pa.value() / kPageSize;
  KASSERT(frame < detail::g_frame_count);
  return detail::g_frame_infos[frame];
}

/// Adds a reference to the allocated block at `pa`.
inline void ref_frame(Pa pa) {
  FrameInfo& f = frame_info(pa);
  KASSERT(f.state == FrameState::kAllocated);
  std::uint32_t before = f.refcount.fetch_add(1, std::memory_order_relaxed);
  KASSERT(before != 0);
}
/// Drops a reference to the allocated block at `pa`; frees it when none remain.
/// Returns the number of references left.
inline std::uint32_t unref_frame(Pa pa) {
  FrameInfo& f = frame_info(pa);
  KASSERT(f.state == FrameState::kAllocated);
  std::uint32_t before = f.refcount.fetch_sub(1, std::memory_order_acq_rel);
  KASSERT(before != 0);
  if (before == 1) detail::free_block(pa);
  return before - 1;
}
/// The number of references to the block at `pa` (0 if it is not allocated).
inline std::uint32_t frame_refcount(Pa pa) {
  const FrameInfo& f = frame_info(pa);
  return f.state == FrameState::kAllocated ? f.refcount.load(std::memory_order_relaxed) : 0;
}

/// Frames currently free.
std::size_t free_frame_count();
/// Frames the allocator manages (free or allocated).
std::size_t managed_frame_count();

}  // namespace keos::mm
