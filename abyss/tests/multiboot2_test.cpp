// parse_multiboot2 over boot-information blobs built by the test: command line, memory map,
// modules, old and new ACPI RSDP copies, unknown tags skipped, 8-byte tag alignment, the end
// tag; and every error (short or oversized total size, tags too small or running past the
// end, malformed memory maps and modules, too many items), with no read outside the blob.
#include <abyss/multiboot2.hpp>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "catch.hpp"

using abyss::BootInfo;
using abyss::MemoryType;
using abyss::Multiboot2Error;
using abyss::Pa;

namespace {

constexpr std::uint32_t kEnd = 0, kCmdline = 1, kModule = 3, kMemoryMap = 6, kAcpiOld = 14,
                        kAcpiNew = 15;

void append32(std::vector<std::uint8_t>& v, std::uint32_t x) {
  for (int i = 0; i < 4; ++i) v.push_back(static_cast<std::uint8_t>(x >> (8 * i)));
}
void append64(std::vector<std::uint8_t>& v, std::uint64_t x) {
  append32(v, static_cast<std::uint32_t>(x));
  append32(v, static_cast<std::uint32_t>(x >> 32));
}

// A Multiboot2 information blob: the 8-byte header, then tags padded to 8 bytes.
struct Blob {
  std::vector<std::uint8_t> bytes = std::vector<std::uint8_t>(8, 0);

  // A tag whose size field says `8 + payload.size()` unless `size` overrides it.
  Blob& tag(std::uint32_t type, const std::vector<std::uint8_t>& payload, long size = -1) {
    bytes.resize((bytes.size() + 7) & ~std::size_t{7}, 0);
    append32(bytes, type);
    append32(bytes, size >= 0 ? static_cast<std::uint32_t>(size)
                              : static_cast<std::uint32_t>(8 + payload.size()));
    bytes.insert(bytes.end(), payload.begin(), payload.end());
    return *this;
  }
  Blob& string_tag(std::uint32_t type, const std::string& s) {
    return tag(type, std::vector<std::uint8_t>(s.c_str(), s.c_str() + s.size() + 1));
  }
  Blob& module(std::uint32_t start, std::uint32_t end, const std::string& cmdline) {
    std::vector<std::uint8_t> p;
    append32(p, start);
    append32(p, end);
    p.insert(p.end(), cmdline.c_str(), cmdline.c_str() + cmdline.size() + 1);
    return tag(kModule, p);
  }
  struct Region {
    std::uint64_t start, length;
    std::uint32_t type;
  };
  Blob& memory_map(const std::vector<Region>& regions, std::uint32_t entry_size = 24) {
    std::vector<std::uint8_t> p;
    append32(p, entry_size);
    append32(p, 0);  // entry version
    for (const Region& r : regions) {
      std::size_t at = p.size();
      append64(p, r.start);
      append64(p, r.length);
      append32(p, r.type);
      p.resize(at + entry_size, 0);
    }
    return tag(kMemoryMap, p);
  }
  // Sets the total size (default: the bytes so far) in the header.
  Blob& total(long size = -1) {
    std::uint32_t t =
        size >= 0 ? static_cast<std::uint32_t>(size) : static_cast<std::uint32_t>(bytes.size());
    std::memcpy(bytes.data(), &t, 4);
    return *this;
  }
  Blob& end() { return tag(kEnd, {}).total(); }
};

std::vector<std::uint8_t> rsdp_bytes(std::size_t n, std::uint8_t seed) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(seed + i);
  return v;
}

// Parses a copy of exactly `limit` bytes on the heap, so ASan sees any read past them.
struct Parsed {
  Multiboot2Error error;
  std::unique_ptr<BootInfo> info;
};
Parsed parse(const Blob& blob, std::size_t limit) {
  std::unique_ptr<std::uint8_t[]> copy(new std::uint8_t[limit == 0 ? 1 : limit]);
  std::memcpy(copy.get(), blob.bytes.data(), std::min(limit, blob.bytes.size()));
  auto info = std::make_unique<BootInfo>();
  Multiboot2Error e = abyss::parse_multiboot2(copy.get(), limit, *info);
  return {e, std::move(info)};
}
Parsed parse(const Blob& blob) { return parse(blob, blob.bytes.size()); }

}  // namespace

TEST_CASE("multiboot2: command line, memory map, modules and RSDP are copied out") {
  Blob b;
  b.string_tag(kCmdline, "test=cow* ncpu=4");
  b.memory_map({{0, 0x9fc00, 1}, {0x100000, 0x1ff00000, 1}, {0xfffc0000, 0x40000, 2}});
  b.module(0x200000, 0x280000, "rootfs");
  b.module(0x280000, 0x281000, "");
  b.tag(kAcpiNew, rsdp_bytes(36, 0x40));
  b.end();
  Parsed p = parse(b);
  REQUIRE(p.error == Multiboot2Error::kNone);
  const BootInfo& info = *p.info;
  CHECK(std::string(info.cmdline) == "test=cow* ncpu=4");
  CHECK(info.info_size == b.bytes.size());
  REQUIRE(info.region_count == 3);
  CHECK(info.regions[1].start == Pa(0x100000));
  CHECK(info.regions[1].length == 0x1ff00000);
  CHECK(info.regions[1].type == MemoryType::kUsable);
  CHECK(info.regions[2].start == Pa(0xfffc0000));
  CHECK(info.regions[2].type == MemoryType::kReserved);
  REQUIRE(info.module_count == 2);
  CHECK(info.modules[0].start == Pa(0x200000));
  CHECK(info.modules[0].end == Pa(0x280000));
  CHECK(std::string(info.modules[0].cmdline) == "rootfs");
  CHECK(std::string(info.modules[1].cmdline).empty());
  CHECK(info.rsdp_size == 36);
  CHECK(std::memcmp(info.rsdp, rsdp_bytes(36, 0x40).data(), 36) == 0);
}

TEST_CASE("multiboot2: unknown tags are skipped and tags start 8-byte aligned") {
  Blob b;
  b.tag(21, std::vector<std::uint8_t>(5, 0xaa));  // size 13: the next tag starts at 8 + 16
  b.string_tag(kCmdline, "abc");                  // size 12
  b.tag(0x1234, std::vector<std::uint8_t>(1, 0xbb));
  b.module(1, 2, "m");
  b.end();
  REQUIRE(b.bytes.size() == 8 + 16 + 16 + 16 + 24 + 8);
  Parsed p = parse(b);
  REQUIRE(p.error == Multiboot2Error::kNone);
  CHECK(std::string(p.info->cmdline) == "abc");
  REQUIRE(p.info->module_count == 1);
  CHECK(std::string(p.info->modules[0].cmdline) == "m");
}

TEST_CASE("multiboot2: nothing after the end tag is read") {
  Blob b;
  b.tag(kEnd, {}).string_tag(kCmdline, "late").total();
  Parsed p = parse(b);
  CHECK(p.error == Multiboot2Error::kNone);
  CHECK(std::string(p.info->cmdline).empty());
  CHECK(p.info->info_size == b.bytes.size());
}

TEST_CASE("multiboot2: the new RSDP wins over the old one, in either order") {
  Blob old_only;
  old_only.tag(kAcpiOld, rsdp_bytes(20, 1)).end();
  Parsed p = parse(old_only);
  CHECK(p.info->rsdp_size == 20);
  CHECK(std::memcmp(p.info->rsdp, rsdp_bytes(20, 1).data(), 20) == 0);

  Blob new_first;
  new_first.tag(kAcpiNew, rsdp_bytes(36, 2)).tag(kAcpiOld, rsdp_bytes(20, 1)).end();
  p = parse(new_first);
  CHECK(p.info->rsdp_size == 36);
  CHECK(p.info->rsdp[0] == 2);

  Blob old_first;
  old_first.tag(kAcpiOld, rsdp_bytes(20, 1)).tag(kAcpiNew, rsdp_bytes(36, 2)).end();
  p = parse(old_first);
  CHECK(p.info->rsdp_size == 36);
  CHECK(p.info->rsdp[0] == 2);

  Blob oversized;  // more than an RSDP: only what BootInfo holds is kept
  oversized.tag(kAcpiNew, rsdp_bytes(60, 3)).end();
  p = parse(oversized);
  CHECK(p.info->rsdp_size == BootInfo::kMaxRsdp);
  CHECK(p.info->rsdp[35] == 3 + 35);

  Blob none;
  p = parse(none.end());
  CHECK(p.info->rsdp_size == 0);
}

TEST_CASE("multiboot2: strings are cut to fit and never read past their tag") {
  std::string long_line(3000, 'c');
  Blob b;
  b.string_tag(kCmdline, long_line);
  b.module(0, 1, std::string(200, 'm'));
  b.end();
  Parsed p = parse(b);
  REQUIRE(p.error == Multiboot2Error::kNone);
  CHECK(std::string(p.info->cmdline) == long_line.substr(0, BootInfo::kMaxCmdline - 1));
  CHECK(std::string(p.info->modules[0].cmdline) == std::string(63, 'm'));

  Blob unterminated;  // no NUL inside the tag: the string ends with the tag
  unterminated.tag(kCmdline, {'x', 'y', 'z'}).tag(kCmdline + 100, {'!', '!'}).end();
  p = parse(unterminated);
  CHECK(std::string(p.info->cmdline) == "xyz");
}

TEST_CASE("multiboot2: memory map entries are read at their declared stride") {
  Blob b;
  b.memory_map({{0x1000, 0x2000, 1}, {0x5000, 0x1000, 7}}, 40);  // larger entries than 24
  b.end();
  Parsed p = parse(b);
  REQUIRE(p.error == Multiboot2Error::kNone);
  REQUIRE(p.info->region_count == 2);
  CHECK(p.info->regions[1].start == Pa(0x5000));
  CHECK(static_cast<std::uint32_t>(p.info->regions[1].type) == 7);  // kept as it is

  Blob partial;  // a trailing piece smaller than an entry is ignored
  partial.memory_map({{0x1000, 0x2000, 1}});
  partial.bytes.resize(partial.bytes.size() + 10, 0);
  std::uint32_t tag_size = 16 + 24 + 10;
  std::memcpy(&partial.bytes[8 + 4], &tag_size, 4);
  partial.end();
  p = parse(partial);
  REQUIRE(p.error == Multiboot2Error::kNone);
  CHECK(p.info->region_count == 1);
}

TEST_CASE("multiboot2: a huge memory-map entry size does not wrap around") {
  // 16 + entry_size overflows 32 bits; the tag has no room for any entry.
  for (std::uint32_t entry_size : {0xfffffff0u, 0xfffffff8u, 0xffffffffu}) {
    Blob b;
    b.memory_map({}, 24);
    std::memcpy(&b.bytes[8 + 8], &entry_size, 4);
    b.end();
    Parsed p = parse(b);
    CHECK(p.error == Multiboot2Error::kNone);
    CHECK(p.info->region_count == 0);
  }
}

TEST_CASE("multiboot2: a total size that is too small or too large is refused") {
  Blob b;
  b.string_tag(kCmdline, "x").end();
  CHECK(parse(b, 4).error == Multiboot2Error::kTruncated);  // not even the header
  CHECK(parse(b, b.bytes.size() - 1).error == Multiboot2Error::kTruncated);
  b.total(b.bytes.size() + 8);  // claims more than is readable
  CHECK(parse(b).error == Multiboot2Error::kTruncated);
  b.total(4);
  CHECK(parse(b).error == Multiboot2Error::kTruncated);
  b.total(8);  // just the header: no tags, no end tag
  CHECK(parse(b).error == Multiboot2Error::kNoEndTag);
}

TEST_CASE("multiboot2: malformed tags are refused") {
  Blob small;
  small.tag(kCmdline, {'a', 0, 0, 0, 0, 0, 0, 0}, 4).end();
  CHECK(parse(small).error == Multiboot2Error::kBadTag);

  Blob past;
  past.tag(kCmdline, {'a', 0}, 64).end();  // says 64 bytes; the blob ends sooner
  CHECK(parse(past).error == Multiboot2Error::kTruncated);

  Blob no_end;
  no_end.string_tag(kCmdline, "x").total();
  CHECK(parse(no_end).error == Multiboot2Error::kNoEndTag);

  Blob short_module;
  short_module.tag(kModule, {1, 0, 0, 0}).end();
  CHECK(parse(short_module).error == Multiboot2Error::kBadTag);

  Blob short_map;
  short_map.tag(kMemoryMap, {24, 0, 0, 0}).end();
  CHECK(parse(short_map).error == Multiboot2Error::kBadTag);

  Blob small_entries;
  small_entries.memory_map({{0, 0x1000, 1}}, 16).end();
  CHECK(parse(small_entries).error == Multiboot2Error::kBadTag);
}

TEST_CASE("multiboot2: more regions or modules than BootInfo holds are refused") {
  Blob modules;
  for (std::size_t i = 0; i <= BootInfo::kMaxModules; ++i) modules.module(0, 1, "m");
  CHECK(parse(modules.end()).error == Multiboot2Error::kTooManyItems);

  std::vector<Blob::Region> regions(BootInfo::kMaxRegions, {0, 0x1000, 1});
  Blob fits;
  Parsed p = parse(fits.memory_map(regions).end());
  CHECK(p.error == Multiboot2Error::kNone);
  CHECK(p.info->region_count == BootInfo::kMaxRegions);
  regions.push_back({0, 0x1000, 1});
  Blob too_many;
  CHECK(parse(too_many.memory_map(regions).end()).error == Multiboot2Error::kTooManyItems);
}

TEST_CASE("multiboot2: the output is reset by every parse") {
  Blob two;
  two.module(0, 1, "a").module(1, 2, "b").string_tag(kCmdline, "first").end();
  Blob one;
  one.module(5, 6, "c").end();
  auto info = std::make_unique<BootInfo>();
  REQUIRE(abyss::parse_multiboot2(two.bytes.data(), two.bytes.size(), *info) ==
          Multiboot2Error::kNone);
  REQUIRE(abyss::parse_multiboot2(one.bytes.data(), one.bytes.size(), *info) ==
          Multiboot2Error::kNone);
  CHECK(info->module_count == 1);
  CHECK(std::string(info->cmdline).empty());
  CHECK(info->modules[0].start == Pa(5));
}
