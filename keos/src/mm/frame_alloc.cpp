#include <keos/mm/frame_alloc.hpp>

#include <abyss/boot.hpp>
#include <abyss/console.hpp>
#include <abyss/spinlock.hpp>
#include <abyss/string.hpp>
#include <keos/mm/buddy.hpp>
#include <keos/mm/fault_inject.hpp>
#include <keos/mm/frame_cache.hpp>

namespace keos::mm {
namespace {

constexpr std::uint64_t kLowMemoryEnd = 1 << 20;  // real-mode area, AP trampoline

BuddyAllocator g_buddy;
constinit FrameCache g_cache(g_buddy);  // single frames go through here
abyss::SpinLock g_lock;  // guards g_buddy and g_cache (refcounts are atomic, need no lock)

struct Range {
  std::uint64_t start, end;
};

// Physical ranges that hold something already and must not be handed out.
int reserved_ranges(Range* out) {
  const abyss::BootInfo& info = abyss::boot_info();
  int n = 0;
  out[n++] = {0, kLowMemoryEnd};
  out[n++] = {abyss::kernel_image_start().value(), abyss::kernel_image_end().value()};
  out[n++] = {abyss::boot_info_start().value(), abyss::boot_info_end().value()};
  for (std::size_t i = 0; i < info.module_count; ++i) {
    out[n++] = {info.modules[i].start.value(), info.modules[i].end.value()};
  }
  return n;
}

std::uint64_t page_up(std::uint64_t v) { return (v + kPageSize - 1) & ~(kPageSize - 1); }
std::uint64_t page_down(std::uint64_t v) { return v & ~(kPageSize - 1); }

// Calls fn(start, end) for every page-aligned usable piece of RAM below the direct-map
// end that overlaps no reserved range.
template <class Fn>
void for_each_free_piece(const Range* reserved, int reserved_count, Fn fn) {
  const abyss::BootInfo& info = abyss::boot_info();
  std::uint64_t limit = abyss::direct_map_end().value();
  for (std::size_t i = 0; i < info.region_count; ++i) {
    const abyss::MemoryRegion& r = info.regions[i];
    if (r.type != abyss::MemoryType::kUsable) continue;
    std::uint64_t start = page_up(r.start.value());
    std::uint64_t end = page_down(r.start.value() + r.length);
    if (end > limit) end = page_down(limit);
    while (start < end) {
      // The reserved range overlapping [start, end) that starts first, if any.
      const Range* first = nullptr;
      for (int k = 0; k < reserved_count; ++k) {
        const Range& x = reserved[k];
        if (x.end > start && x.start < end && (first == nullptr || x.start < first->start)) {
          first = &x;
        }
      }
      if (first == nullptr) {
        fn(start, end);
        break;
      }
      if (first->start > start && page_down(first->start) > start) {
        fn(start, page_down(first->start));
      }
      start = page_up(first->end);
    }
  }
}

}  // namespace

FrameInfo* detail::g_frame_infos = nullptr;
std::size_t detail::g_frame_count = 0;

void init_frame_allocator() {
  Range reserved[4 + abyss::BootInfo::kMaxModules];
  int reserved_count = reserved_ranges(reserved);

  std::uint64_t top = 0;
  for_each_free_piece(reserved, reserved_count, [&](std::uint64_t, std::uint64_t end) {
    if (end > top) top = end;
  });
  std::size_t frames = top / kPageSize;
  std::uint64_t meta_bytes = page_up(frames * sizeof(FrameInfo));

  // The metadata array goes into the first free piece large enough to hold it.
  std::uint64_t meta_pa = 0;
  for_each_free_piece(reserved, reserved_count, [&](std::uint64_t start, std::uint64_t end) {
    if (meta_pa == 0 && end - start >= meta_bytes) meta_pa = start;
  });
  if (meta_pa == 0) abyss::panic("no room for %lu bytes of frame metadata", meta_bytes);
  reserved[reserved_count++] = {meta_pa, meta_pa + meta_bytes};

  g_buddy.init(phys_ptr<FrameInfo>(Pa(meta_pa)), frames);
  detail::g_frame_infos = phys_ptr<FrameInfo>(Pa(meta_pa));
  detail::g_frame_count = frames;
  for_each_free_piece(reserved, reserved_count, [&](std::uint64_t start, std::uint64_t end) {
    g_buddy.add_free_range(static_cast<std::uint32_t>(start / kPageSize),
                           static_cast<std::uint32_t>(end / kPageSize));
  });
  abyss::log::info("frames: %lu free (%lu MiB), metadata %lu KiB", g_buddy.free_frames(),
                   g_buddy.free_frames() * kPageSize >> 20, meta_bytes >> 10);
}

Result<Pa> alloc_frames(unsigned order, FrameUsage usage, Fill fill) {
  if (fault_inject::should_fail(fault_inject::Site::kFrame)) return Err(KernelError::kNoMemory);
  std::uint32_t frame;
  {
    abyss::SpinLockGuard guard(g_lock);
    frame = g_cache.allocate(order, usage);
  }
  if (frame == BuddyAllocator::kNoFrame) return Err(KernelError::kNoMemory);
  Pa pa(static_cast<std::uint64_t>(frame) * kPageSize);
  if (fill == Fill::kZero) memset(phys_ptr(pa), 0, kPageSize << order);
  return pa;
}

void detail::free_block(Pa pa) {
  abyss::SpinLockGuard guard(g_lock);
  g_cache.free(static_cast<std::uint32_t>(pa.value() / kPageSize));
}

std::size_t free_frame_count() {
  abyss::SpinLockGuard guard(g_lock);
  return g_cache.free_frames();
}

std::size_t managed_frame_count() { return g_buddy.managed_frames(); }

}  // namespace keos::mm
