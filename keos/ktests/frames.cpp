// The physical-frame allocator: zero fill, block orders and alignment, reference counts,
// and exhaustion (allocation fails cleanly and every frame comes back).
#include <abyss/string.hpp>
#include <keos/mm/buddy.hpp>
#include <keos/mm/frame_alloc.hpp>
#include <keos/mm/heap.hpp>
#include <keos/test.hpp>

using keos::Pa;
using keos::Result;
using namespace keos::mm;

constexpr unsigned kOrders = keos::mm::BuddyAllocator::kMaxOrder + 1;

namespace {

bool is_zero(const void* p, std::size_t n) {
  const auto* w = static_cast<const std::uint64_t*>(p);
  for (std::size_t i = 0; i < n / 8; ++i) {
    if (w[i] != 0) return false;
  }
  return true;
}

}  // namespace

KEOS_TEST(frame_alloc_zeroed) {
  std::size_t before = free_frame_count();
  for (int round = 0; round < 2; ++round) {
    Result<Pa> frame = alloc_frame();
    KEOS_ASSERT(frame.is_ok());
    KEOS_ASSERT(frame.value().is_page_aligned());
    KEOS_ASSERT_EQ(free_frame_count(), before - 1);
    void* p = keos::phys_ptr(frame.value());
    // The second round likely gets the frame the first one dirtied: it must be zero again.
    KEOS_ASSERT(is_zero(p, keos::kPageSize));
    memset(p, 0xa5, keos::kPageSize);
    KEOS_ASSERT_EQ(unref_frame(frame.value()), 0u);
    KEOS_ASSERT_EQ(free_frame_count(), before);
  }
}

KEOS_TEST(frame_orders_aligned) {
  std::size_t before = free_frame_count();
  Pa blocks[kOrders];
  for (unsigned order = 0; order < kOrders; ++order) {
    Result<Pa> block = alloc_frames(order, FrameUsage::kGeneric);
    KEOS_ASSERT(block.is_ok());
    blocks[order] = block.value();
    KEOS_ASSERT_EQ(blocks[order].value() % (keos::kPageSize << order), 0u);
    KEOS_ASSERT(is_zero(keos::phys_ptr(blocks[order]), keos::kPageSize << order));
    KEOS_ASSERT_EQ(frame_info(blocks[order]).order, order);
  }
  // No two blocks overlap.
  for (unsigned a = 0; a < kOrders; ++a) {
    for (unsigned b = a + 1; b < kOrders; ++b) {
      std::uint64_t a0 = blocks[a].value(), a1 = a0 + (keos::kPageSize << a);
      std::uint64_t b0 = blocks[b].value(), b1 = b0 + (keos::kPageSize << b);
      KEOS_ASSERT(a1 <= b0 || b1 <= a0);
    }
  }
  for (unsigned order = 0; order < kOrders; ++order) {
    unref_frame(blocks[order]);
  }
  KEOS_ASSERT_EQ(free_frame_count(), before);
  KEOS_ASSERT(alloc_frames(kOrders, FrameUsage::kGeneric).is_err());
}

KEOS_TEST(frame_refcount) {
  std::size_t before = free_frame_count();
  Result<Pa> frame = alloc_frame();
  KEOS_ASSERT(frame.is_ok());
  Pa pa = frame.value();
  KEOS_ASSERT_EQ(frame_refcount(pa), 1u);
  ref_frame(pa);
  ref_frame(pa);
  KEOS_ASSERT_EQ(frame_refcount(pa), 3u);
  KEOS_ASSERT_EQ(unref_frame(pa), 2u);
  KEOS_ASSERT_EQ(unref_frame(pa), 1u);
  // Still referenced: not free yet.
  KEOS_ASSERT_EQ(free_frame_count(), before - 1);
  KEOS_ASSERT(frame_info(pa).state == FrameState::kAllocated);
  KEOS_ASSERT_EQ(unref_frame(pa), 0u);
  KEOS_ASSERT_EQ(frame_refcount(pa), 0u);
  KEOS_ASSERT_EQ(free_frame_count(), before);
}

KEOS_TEST(frame_exhaustion) {
  std::size_t before = free_frame_count();
  // Take every frame, chaining them through their first word.
  std::uint64_t head = 0;
  std::size_t taken = 0;
  for (;;) {
    Result<Pa> frame = alloc_frame();
    if (frame.is_err()) {
      KEOS_ASSERT(frame.error() == keos::KernelError::kNoMemory);
      break;
    }
    *keos::phys_ptr<std::uint64_t>(frame.value()) = head;
    head = frame.value().value();
    ++taken;
  }
  std::size_t left = free_frame_count();
  // Out of memory is an error for every caller, the heap included.
  void* p = heap_alloc(2 * keos::kPageSize);
  bool heap_failed = p == nullptr;
  heap_free(p);
  while (head != 0) {
    Pa pa(head);
    head = *keos::phys_ptr<std::uint64_t>(pa);
    unref_frame(pa);
  }
  KEOS_ASSERT_EQ(left, 0u);
  KEOS_ASSERT_EQ(taken, before);
  KEOS_ASSERT(heap_failed);
  KEOS_ASSERT_EQ(free_frame_count(), before);
}
