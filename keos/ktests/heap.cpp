// The kernel heap: small and large objects, alignment, C++ new/delete, and that freeing
// everything gives every frame back.
#include <new>

#include <abyss/string.hpp>
#include <keos/mm/frame_alloc.hpp>
#include <keos/mm/heap.hpp>
#include <keos/test.hpp>

using namespace keos::mm;

namespace {

bool aligned(const void* p, std::size_t align) {
  return (reinterpret_cast<std::uintptr_t>(p) & (align - 1)) == 0;
}

bool filled_with(const void* p, std::size_t n, unsigned char byte) {
  const auto* b = static_cast<const unsigned char*>(p);
  for (std::size_t i = 0; i < n; ++i) {
    if (b[i] != byte) return false;
  }
  return true;
}

struct Counted {
  static inline int alive = 0;
  int value;
  explicit Counted(int v) : value(v) { ++alive; }
  ~Counted() { --alive; }
};

struct alignas(64) CacheLine {
  char bytes[64];
};
struct alignas(4096) PageSized {
  char bytes[4096];
};

}  // namespace

KEOS_TEST(heap_small_objects) {
  std::size_t frames_before = free_frame_count();
  HeapStats stats_before = heap_stats();
  constexpr int kCount = 600;
  static void* objects[kCount];
  for (int i = 0; i < kCount; ++i) {
    std::size_t size = 1 + (i * 37) % 1024;
    objects[i] = heap_alloc(size);
    KEOS_ASSERT(objects[i] != nullptr);
    KEOS_ASSERT(aligned(objects[i], 16));
    memset(objects[i], i & 0xff, size);
  }
  KEOS_ASSERT_EQ(heap_stats().live_objects, stats_before.live_objects + kCount);
  // Had two objects overlapped, one pattern would have overwritten the other.
  for (int i = 0; i < kCount; ++i) {
    KEOS_ASSERT(filled_with(objects[i], 1 + (i * 37) % 1024, i & 0xff));
  }
  for (int i = 0; i < kCount; ++i) heap_free(objects[i]);
  KEOS_ASSERT_EQ(heap_stats().live_objects, stats_before.live_objects);
  KEOS_ASSERT_EQ(free_frame_count(), frames_before);
}

KEOS_TEST(heap_large_objects) {
  std::size_t frames_before = free_frame_count();
  constexpr std::size_t kSizes[] = {1025, 4096, 5000, 64 * 1024, 1024 * 1024};
  void* objects[5];
  for (int i = 0; i < 5; ++i) {
    objects[i] = heap_alloc(kSizes[i]);
    KEOS_ASSERT(objects[i] != nullptr);
    KEOS_ASSERT(aligned(objects[i], keos::kPageSize));
    memset(objects[i], 0x40 + i, kSizes[i]);
  }
  for (int i = 0; i < 5; ++i) KEOS_ASSERT(filled_with(objects[i], kSizes[i], 0x40 + i));
  for (void* p : objects) heap_free(p);
  KEOS_ASSERT_EQ(free_frame_count(), frames_before);
  // A request larger than the largest block fails cleanly.
  KEOS_ASSERT(heap_alloc(64u << 20) == nullptr);
}

KEOS_TEST(heap_aligned_new) {
  std::size_t frames_before = free_frame_count();
  for (std::size_t align = 16; align <= 16384; align *= 2) {
    void* p = heap_alloc(24, align);
    KEOS_ASSERT(p != nullptr);
    KEOS_ASSERT(aligned(p, align));
    heap_free(p);
  }
  auto* line = new CacheLine;
  auto* page = new PageSized;
  auto* lines = new CacheLine[3];
  KEOS_ASSERT(aligned(line, 64));
  KEOS_ASSERT(aligned(page, 4096));
  KEOS_ASSERT(aligned(lines, 64));
  delete line;
  delete page;
  delete[] lines;
  KEOS_ASSERT_EQ(free_frame_count(), frames_before);
}

KEOS_TEST(heap_new_delete) {
  std::size_t frames_before = free_frame_count();
  auto* one = new Counted(7);
  auto* many = new Counted[10]{Counted(1), Counted(2), Counted(3), Counted(4), Counted(5),
                               Counted(6), Counted(7), Counted(8), Counted(9), Counted(10)};
  KEOS_ASSERT_EQ(Counted::alive, 11);
  KEOS_ASSERT_EQ(one->value, 7);
  KEOS_ASSERT_EQ(many[9].value, 10);
  delete one;
  delete[] many;
  KEOS_ASSERT_EQ(Counted::alive, 0);
  auto* nothrow = new (std::nothrow) Counted(3);
  KEOS_ASSERT(nothrow != nullptr);
  delete nothrow;
  KEOS_ASSERT_EQ(free_frame_count(), frames_before);
}
