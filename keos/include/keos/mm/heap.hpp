/// \file
/// The kernel heap behind `new` and `delete`.
///
/// Small objects (up to 1 KiB) come from slabs: pages carved into equal slots of a power-of-
/// two size class, each slot aligned to its size. Larger objects take whole blocks of frames
/// from the frame allocator. A slab page that empties goes straight back to the frame
/// allocator, so a balanced sequence of allocations leaves the free-frame count unchanged.
/// One spin lock guards all slabs.
///
/// `new` and `new[]` panic when memory runs out; code that can recover uses
/// `new (std::nothrow)` or heap_alloc(), which return nullptr.
#pragma once

#include <cstddef>

namespace keos::mm {

/// Allocates `size` bytes aligned to `align` (a power of two); nullptr if out of memory.
/// The memory is not zeroed.
void* heap_alloc(std::size_t size, std::size_t align = 16);
/// Frees memory from heap_alloc (nullptr is ignored).
void heap_free(void* p);

/// Counters of the kernel heap, for tests.
struct HeapStats {
  std::size_t live_objects;  ///< allocations not yet freed
  std::size_t slab_pages;    ///< pages currently used by slabs
};
/// A snapshot of the heap's counters.
HeapStats heap_stats();

}  // namespace keos::mm
