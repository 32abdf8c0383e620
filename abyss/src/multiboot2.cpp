#include <abyss/multiboot2.hpp>

#include <abyss/string.hpp>

namespace abyss {
namespace {

enum TagType : std::uint32_t {
  kTagEnd = 0,
  kTagCmdline = 1,
  kTagModule = 3,
  kTagMemoryMap = 6,
  kTagAcpiOld = 14,
  kTagAcpiNew = 15,
};

template <class T>
T read(const unsigned char* p) {
  T v;
  memcpy(&v, p, sizeof v);
  return v;
}

// Copies a string that must end inside [s, s + max) into dst (capacity cap), truncating.
void copy_string(char* dst, std::size_t cap, const unsigned char* s, std::size_t max) {
  std::size_t n = 0;
  while (n < max && s[n] != '\0' && n + 1 < cap) {
    dst[n] = static_cast<char>(s[n]);
    ++n;
  }
  dst[n] = '\0';
}

Multiboot2Error parse_memory_map(const unsigned char* tag, std::uint32_t size, BootInfo& out) {
  if (size < 16) return Multiboot2Error::kBadTag;
  std::uint32_t entry_size = read<std::uint32_t>(tag + 8);
  if (entry_size < 24) return Multiboot2Error::kBadTag;
  // `size - off` cannot wrap (off <= size holds throughout); `off + entry_size` could.
  for (std::uint32_t off = 16; entry_size <= size - off; off += entry_size) {
    if (out.region_count == BootInfo::kMaxRegions) return Multiboot2Error::kTooManyItems;
    MemoryRegion& r = out.regions[out.region_count++];
    r.start = Pa(read<std::uint64_t>(tag + off));
    r.length = read<std::uint64_t>(tag + off + 8);
    r.type = static_cast<MemoryType>(read<std::uint32_t>(tag + off + 16));
  }
  return Multiboot2Error::kNone;
}

}  // namespace

Multiboot2Error parse_multiboot2(const void* info, std::size_t limit, BootInfo& out) {
  out = BootInfo{};
  const auto* base = static_cast<const unsigned char*>(info);
  if (limit < 8) return Multiboot2Error::kTruncated;
  std::uint32_t total = read<std::uint32_t>(base);
  if (total < 8 || total > limit) return Multiboot2Error::kTruncated;
  out.info_size = total;

  std::uint32_t off = 8;
  while (off + 8 <= total) {
    const unsigned char* tag = base + off;
    std::uint32_t type = read<std::uint32_t>(tag);
    std::uint32_t size = read<std::uint32_t>(tag + 4);
    if (size < 8) return Multiboot2Error::kBadTag;
    if (size > total - off) return Multiboot2Error::kTruncated;
    switch (type) {
      case kTagEnd:
        return Multiboot2Error::kNone;
      case kTagCmdline:
        copy_string(out.cmdline, sizeof out.cmdline, tag + 8, size - 8);
        break;
      case kTagModule: {
        if (size < 16) return Multiboot2Error::kBadTag;
        if (out.module_count == BootInfo::kMaxModules) return Multiboot2Error::kTooManyItems;
        BootModule& m = out.modules[out.module_count++];
        m.start = Pa(read<std::uint32_t>(tag + 8));
        m.end = Pa(read<std::uint32_t>(tag + 12));
        copy_string(m.cmdline, sizeof m.cmdline, tag + 16, size - 16);
        break;
      }
      case kTagMemoryMap:
        if (Multiboot2Error e = parse_memory_map(tag, size, out); e != Multiboot2Error::kNone) {
          return e;
        }
        break;
      case kTagAcpiOld:
      case kTagAcpiNew: {
        // Prefer the newer RSDP (it may point at an XSDT) over the old one.
        if (type == kTagAcpiOld && out.rsdp_size != 0) break;
        std::size_t n = size - 8 < BootInfo::kMaxRsdp ? size - 8 : BootInfo::kMaxRsdp;
        memcpy(out.rsdp, tag + 8, n);
        out.rsdp_size = n;
        break;
      }
      default:
        break;
    }
    off += (size + 7) & ~7u;
  }
  return Multiboot2Error::kNoEndTag;
}

}  // namespace abyss
