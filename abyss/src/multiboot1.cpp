#include <abyss/multiboot1.hpp>

#include <abyss/string.hpp>

namespace abyss {
namespace {

// Offsets in the information structure, and the flags that say which fields are valid.
constexpr std::size_t kFlags = 0, kCmdline = 16, kModsCount = 20, kModsAddr = 24,
                      kMmapLength = 44, kMmapAddr = 48, kInfoSize = 52;
constexpr std::uint32_t kHasCmdline = 1u << 2, kHasModules = 1u << 3, kHasMemoryMap = 1u << 6;
constexpr std::size_t kModuleEntry = 16;  // start, end, string, reserved

template <class T>
bool read(PhysView view, std::uint64_t pa, T& v) {
  const void* p = view.read(view.ctx, Pa(pa), sizeof v);
  if (p == nullptr) return false;
  memcpy(&v, p, sizeof v);
  return true;
}

// Copies the string at `pa` without its first word into dst (capacity cap), truncating;
// false if a byte before its end cannot be read.
bool copy_after_first_word(PhysView view, std::uint32_t pa, char* dst, std::size_t cap) {
  constexpr std::size_t kMaxScan = 4096;  // a longer string is cut here
  std::size_t n = 0;
  bool in_first = true, skipping_space = false;
  for (std::size_t i = 0; i < kMaxScan; ++i) {
    char c;
    if (!read(view, std::uint64_t{pa} + i, c)) return false;
    if (c == '\0') break;
    if (in_first) {
      if (c == ' ') in_first = false, skipping_space = true;
      continue;
    }
    if (skipping_space && c == ' ') continue;
    skipping_space = false;
    if (n + 1 < cap) dst[n++] = c;
  }
  dst[n] = '\0';
  return true;
}

}  // namespace

Multiboot1Error parse_multiboot1(Pa info, PhysView view, BootInfo& out) {
  out = BootInfo{};
  const void* raw = view.read(view.ctx, info, kInfoSize);
  if (raw == nullptr) return Multiboot1Error::kUnreadable;
  unsigned char fields[kInfoSize];
  memcpy(fields, raw, kInfoSize);
  auto field = [&](std::size_t off) {
    std::uint32_t v;
    memcpy(&v, fields + off, 4);
    return v;
  };
  std::uint32_t flags = field(kFlags);
  out.info_size = kInfoSize;

  if ((flags & kHasCmdline) != 0 &&
      !copy_after_first_word(view, field(kCmdline), out.cmdline, sizeof out.cmdline)) {
    return Multiboot1Error::kUnreadable;
  }

  if ((flags & kHasModules) != 0) {
    std::uint32_t count = field(kModsCount);
    if (count > BootInfo::kMaxModules) return Multiboot1Error::kTooManyItems;
    for (std::uint32_t i = 0; i < count; ++i) {
      std::uint64_t entry = std::uint64_t{field(kModsAddr)} + i * kModuleEntry;
      std::uint32_t start, end, string;
      if (!read(view, entry, start) || !read(view, entry + 4, end) ||
          !read(view, entry + 8, string)) {
        return Multiboot1Error::kUnreadable;
      }
      BootModule& m = out.modules[out.module_count++];
      m.start = Pa(start);
      m.end = Pa(end);
      if (string != 0 && !copy_after_first_word(view, string, m.cmdline, sizeof m.cmdline)) {
        return Multiboot1Error::kUnreadable;
      }
    }
  }

  if ((flags & kHasMemoryMap) == 0) return Multiboot1Error::kNoMemoryMap;
  // Entries: a 4-byte size (of what follows it), base, length, type; the next entry
  // starts `size + 4` bytes further. Every entry must lie inside the declared length.
  std::uint64_t at = field(kMmapAddr), end = at + field(kMmapLength);
  while (at < end) {
    std::uint32_t size;
    if (end - at < 4 || !read(view, at, size)) return Multiboot1Error::kBadMemoryMap;
    if (size < 20 || size > end - at - 4) return Multiboot1Error::kBadMemoryMap;
    if (out.region_count == BootInfo::kMaxRegions) return Multiboot1Error::kTooManyItems;
    std::uint64_t base, length;
    std::uint32_t type;
    if (!read(view, at + 4, base) || !read(view, at + 12, length) ||
        !read(view, at + 20, type)) {
      return Multiboot1Error::kUnreadable;
    }
    out.regions[out.region_count++] = MemoryRegion{Pa(base), length, static_cast<MemoryType>(type)};
    at += std::uint64_t{size} + 4;
  }
  return Multiboot1Error::kNone;
}

}  // namespace abyss
