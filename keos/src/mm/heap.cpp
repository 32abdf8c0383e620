#include <keos/mm/heap.hpp>

#include <cstdint>

#include <abyss/spinlock.hpp>
#include <keos/mm/buddy.hpp>
#include <keos/mm/fault_inject.hpp>
#include <keos/mm/frame_alloc.hpp>

namespace keos::mm {
namespace {

constexpr unsigned kMinShift = 4;   // 16 bytes
constexpr unsigned kMaxShift = 10;  // 1 KiB
constexpr unsigned kClassCount = kMaxShift - kMinShift + 1;

// At the start of every slab page; the slots that overlap it are never handed out.
struct SlabPage {
  SlabPage* next;  // in its class's list of pages with free slots
  SlabPage* prev;
  void* free_slots;  // singly linked through the slots themselves
  std::uint32_t used;
  std::uint32_t capacity;
  std::uint32_t size_class;
};

abyss::SpinLock g_lock;                 // guards everything below
SlabPage* g_partial[kClassCount] = {};  // pages with at least one free slot
std::size_t g_live_objects = 0;
std::size_t g_slab_pages = 0;

unsigned class_of(std::size_t size) {
  unsigned shift = kMinShift;
  while ((std::size_t{1} << shift) < size) ++shift;
  return shift - kMinShift;
}

void unlink(SlabPage* page) {
  if (page->prev != nullptr) {
    page->prev->next = page->next;
  } else {
    g_partial[page->size_class] = page->next;
  }
  if (page->next != nullptr) page->next->prev = page->prev;
  page->next = page->prev = nullptr;
}

void link(SlabPage* page) {
  page->prev = nullptr;
  page->next = g_partial[page->size_class];
  if (page->next != nullptr) page->next->prev = page;
  g_partial[page->size_class] = page;
}

SlabPage* new_slab_locked(unsigned size_class) {
  Result<Pa> frame = alloc_frame(FrameUsage::kHeapSlab);
  if (frame.is_err()) return nullptr;
  auto* page = phys_ptr<SlabPage>(frame.value());
  std::size_t slot = std::size_t{1} << (size_class + kMinShift);
  std::size_t first = (sizeof(SlabPage) + slot - 1) / slot * slot;
  page->next = page->prev = nullptr;
  page->free_slots = nullptr;
  page->used = 0;
  page->capacity = 0;
  page->size_class = size_class;
  auto* base = reinterpret_cast<unsigned char*>(page);
  for (std::size_t off = kPageSize - slot; off >= first; off -= slot) {
    *reinterpret_cast<void**>(base + off) = page->free_slots;
    page->free_slots = base + off;
    ++page->capacity;
  }
  ++g_slab_pages;
  link(page);
  return page;
}

void* slab_alloc(unsigned size_class) {
  abyss::SpinLockGuard guard(g_lock);
  SlabPage* page = g_partial[size_class];
  if (page == nullptr && (page = new_slab_locked(size_class)) == nullptr) return nullptr;
  void* slot = page->free_slots;
  page->free_slots = *static_cast<void**>(slot);
  if (++page->used == page->capacity) unlink(page);
  ++g_live_objects;
  return slot;
}

void slab_free(SlabPage* page, void* p) {
  bool release = false;
  {
    abyss::SpinLockGuard guard(g_lock);
    if (page->used == page->capacity) link(page);
    *static_cast<void**>(p) = page->free_slots;
    page->free_slots = p;
    --g_live_objects;
    if (--page->used == 0) {
      unlink(page);
      --g_slab_pages;
      release = true;
    }
  }
  if (release) unref_frame(to_pa(abyss::kva_of(page)));
}

unsigned large_order(std::size_t size) {
  unsigned order = 0;
  while ((kPageSize << order) < size) ++order;
  return order;
}

}  // namespace

void* heap_alloc(std::size_t size, std::size_t align) {
  if (fault_inject::should_fail(fault_inject::Site::kHeap)) return nullptr;
  if (size == 0) size = 1;
  if (align > size) size = align;  // slots and blocks are aligned to their size
  if (size <= (std::size_t{1} << kMaxShift)) return slab_alloc(class_of(size));
  if (size > (kPageSize << BuddyAllocator::kMaxOrder)) return nullptr;
  Result<Pa> block = alloc_frames(large_order(size), FrameUsage::kHeapLarge);
  if (block.is_err()) return nullptr;
  {
    abyss::SpinLockGuard guard(g_lock);
    ++g_live_objects;
  }
  return phys_ptr(block.value());
}

void heap_free(void* p) {
  if (p == nullptr) return;
  Pa pa = to_pa(abyss::kva_of(p));
  FrameInfo& info = frame_info(pa.page_down());
  if (info.state == FrameState::kAllocated && info.usage == FrameUsage::kHeapSlab) {
    slab_free(phys_ptr<SlabPage>(pa.page_down()), p);
    return;
  }
  if (!pa.is_page_aligned() || info.state != FrameState::kAllocated ||
      info.usage != FrameUsage::kHeapLarge) {
    abyss::panic("heap_free(%p): not a heap allocation", p);
  }
  {
    abyss::SpinLockGuard guard(g_lock);
    --g_live_objects;
  }
  unref_frame(pa);
}

HeapStats heap_stats() {
  abyss::SpinLockGuard guard(g_lock);
  return {g_live_objects, g_slab_pages};
}

}  // namespace keos::mm
