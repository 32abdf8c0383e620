// parse_multiboot1 over boot information placed in fake physical memory, laid out as QEMU's
// -kernel loader leaves it: the command line and module strings without their first word
// (the file's path), modules, the memory map read at each entry's own size; and every
// error (unreadable information or pointers, no map, an entry past the map, too many
// modules). find_rsdp: in the EBDA, in the BIOS area, version 2 with its extended
// checksum, bad checksums skipped, none at all.
#include <abyss/multiboot1.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "catch.hpp"
#include "fake_phys.hpp"

using abyss::BootInfo;
using abyss::MemoryType;
using abyss::Multiboot1Error;
using abyss::Pa;
using Bytes = std::vector<std::uint8_t>;

namespace {

constexpr std::uint32_t kInfo = 0x9000, kMmap = 0x9100, kMods = 0x9200, kStrings = 0x9300;
constexpr std::uint32_t kHasCmdline = 1u << 2, kHasModules = 1u << 3, kHasMemoryMap = 1u << 6;

void put32(Bytes& b, std::size_t at, std::uint32_t v) { std::memcpy(&b[at], &v, 4); }
void put64(Bytes& b, std::size_t at, std::uint64_t v) { std::memcpy(&b[at], &v, 8); }
Bytes c_string(const std::string& s) { return Bytes(s.c_str(), s.c_str() + s.size() + 1); }

struct Region {
  std::uint64_t base, length;
  std::uint32_t type;
  std::uint32_t size = 20;  // the entry's size field (what follows it)
};

// The information structure with the given flags and fields, and what it points at.
struct Mb1 {
  FakePhys phys;
  Bytes info = Bytes(88, 0);

  Mb1& cmdline(const std::string& s) {
    put32(info, 0, flags() | kHasCmdline);
    put32(info, 16, kStrings);
    phys.place(kStrings, c_string(s));
    return *this;
  }
  Mb1& modules(const std::vector<std::pair<std::uint32_t, std::string>>& mods) {
    put32(info, 0, flags() | kHasModules);
    put32(info, 20, static_cast<std::uint32_t>(mods.size()));
    put32(info, 24, kMods);
    Bytes table(16 * mods.size(), 0);
    std::uint32_t string_at = kStrings + 0x100;
    for (std::size_t i = 0; i < mods.size(); ++i) {
      put32(table, 16 * i, mods[i].first);
      put32(table, 16 * i + 4, mods[i].first + 0x1000);
      put32(table, 16 * i + 8, string_at);
      phys.place(string_at, c_string(mods[i].second));
      string_at += 0x40;
    }
    phys.place(kMods, table);
    return *this;
  }
  Mb1& memory_map(const std::vector<Region>& regions, long declared_length = -1) {
    Bytes map;
    for (const Region& r : regions) {
      Bytes e(24 + (r.size > 20 ? r.size - 20 : 0), 0);
      put32(e, 0, r.size);
      put64(e, 4, r.base);
      put64(e, 12, r.length);
      put32(e, 20, r.type);
      map.insert(map.end(), e.begin(), e.begin() + 4 + r.size);
    }
    put32(info, 0, flags() | kHasMemoryMap);
    put32(info, 44, declared_length >= 0 ? static_cast<std::uint32_t>(declared_length)
                                         : static_cast<std::uint32_t>(map.size()));
    put32(info, 48, kMmap);
    phys.place(kMmap, map);
    return *this;
  }
  std::uint32_t flags() const {
    std::uint32_t f;
    std::memcpy(&f, info.data(), 4);
    return f;
  }
  Multiboot1Error parse(BootInfo& out) {
    phys.place(kInfo, info);
    return abyss::parse_multiboot1(Pa(kInfo), phys.view(), out);
  }
};

const std::vector<Region> kQemuMap = {{0, 0x9fc00, 1}, {0x9fc00, 0x400, 2},
                                      {0x100000, 0x1ff00000, 1}};

}  // namespace

TEST_CASE("multiboot1: command line, modules and memory map as QEMU's -kernel passes them") {
  Mb1 mb;
  mb.cmdline("/tmp/build/kernel.elf  quiet test=x")
      .modules({{0x200000, "/tmp/build/rootfs.tar rootfs"}, {0x300000, "/only/a/path"}})
      .memory_map(kQemuMap);
  auto info = std::make_unique<BootInfo>();
  REQUIRE(mb.parse(*info) == Multiboot1Error::kNone);
  CHECK(std::string(info->cmdline) == "quiet test=x");
  REQUIRE(info->module_count == 2);
  CHECK(info->modules[0].start == Pa(0x200000));
  CHECK(info->modules[0].end == Pa(0x201000));
  CHECK(std::string(info->modules[0].cmdline) == "rootfs");
  CHECK(std::string(info->modules[1].cmdline).empty());
  REQUIRE(info->region_count == 3);
  CHECK(info->regions[2].start == Pa(0x100000));
  CHECK(info->regions[2].length == 0x1ff00000);
  CHECK(info->regions[1].type == MemoryType::kReserved);
  CHECK(info->rsdp_size == 0);
}

TEST_CASE("multiboot1: memory-map entries are read at their own size") {
  Mb1 mb;
  std::vector<Region> map = kQemuMap;
  map[0].size = 24;  // 4 bytes more than the fields: the next entry starts after them
  mb.memory_map(map);
  auto info = std::make_unique<BootInfo>();
  REQUIRE(mb.parse(*info) == Multiboot1Error::kNone);
  REQUIRE(info->region_count == 3);
  CHECK(info->regions[1].start == Pa(0x9fc00));
}

TEST_CASE("multiboot1: no command line or modules is fine, no memory map is not") {
  Mb1 with_map;
  with_map.memory_map(kQemuMap);
  auto info = std::make_unique<BootInfo>();
  REQUIRE(with_map.parse(*info) == Multiboot1Error::kNone);
  CHECK(std::string(info->cmdline).empty());
  CHECK(info->module_count == 0);
  Mb1 without;
  without.cmdline("k quiet");
  CHECK(without.parse(*info) == Multiboot1Error::kNoMemoryMap);
}

TEST_CASE("multiboot1: a memory map whose entries run past its length is refused") {
  auto info = std::make_unique<BootInfo>();
  Mb1 short_length;
  short_length.memory_map(kQemuMap, 3 * 24 - 1);
  CHECK(short_length.parse(*info) == Multiboot1Error::kBadMemoryMap);
  Mb1 tiny_entry;
  std::vector<Region> map = kQemuMap;
  map[1].size = 8;
  tiny_entry.memory_map(map);
  CHECK(tiny_entry.parse(*info) == Multiboot1Error::kBadMemoryMap);
}

TEST_CASE("multiboot1: pointers to memory that cannot be read are errors, not reads") {
  auto info = std::make_unique<BootInfo>();
  FakePhys nothing;
  CHECK(abyss::parse_multiboot1(Pa(kInfo), nothing.view(), *info) == Multiboot1Error::kUnreadable);

  Mb1 bad_cmdline;
  bad_cmdline.memory_map(kQemuMap);
  put32(bad_cmdline.info, 0, bad_cmdline.flags() | kHasCmdline);
  put32(bad_cmdline.info, 16, 0x7000);  // nothing there
  CHECK(bad_cmdline.parse(*info) == Multiboot1Error::kUnreadable);

  Mb1 unterminated;  // the string runs into unreadable memory before its NUL
  unterminated.memory_map(kQemuMap);
  put32(unterminated.info, 0, unterminated.flags() | kHasCmdline);
  put32(unterminated.info, 16, kStrings);
  unterminated.phys.place(kStrings, Bytes{'k', ' ', 'q'});
  CHECK(unterminated.parse(*info) == Multiboot1Error::kUnreadable);

  Mb1 bad_modules;
  bad_modules.memory_map(kQemuMap);
  put32(bad_modules.info, 0, bad_modules.flags() | kHasModules);
  put32(bad_modules.info, 20, 1);
  put32(bad_modules.info, 24, 0x7000);
  CHECK(bad_modules.parse(*info) == Multiboot1Error::kUnreadable);
}

TEST_CASE("multiboot1: more modules than BootInfo holds") {
  Mb1 mb;
  mb.memory_map(kQemuMap);
  put32(mb.info, 0, mb.flags() | kHasModules);
  put32(mb.info, 20, BootInfo::kMaxModules + 1);
  put32(mb.info, 24, kMods);
  auto info = std::make_unique<BootInfo>();
  CHECK(mb.parse(*info) == Multiboot1Error::kTooManyItems);
}

namespace {

// An RSDP: version 1 (20 bytes) or 2 (36 bytes), checksums right unless told otherwise.
Bytes rsdp(int revision, bool good_checksum = true, bool good_extended = true) {
  Bytes r(revision >= 2 ? 36 : 20, 0);
  std::memcpy(r.data(), "RSD PTR ", 8);
  r[15] = static_cast<std::uint8_t>(revision);
  put32(r, 16, 0xe1000);
  if (revision >= 2) put32(r, 20, 36);
  auto fix = [&](std::size_t at, std::size_t len) {
    r[at] = 0;
    std::uint8_t sum = 0;
    for (std::size_t i = 0; i < len; ++i) sum = static_cast<std::uint8_t>(sum + r[i]);
    r[at] = static_cast<std::uint8_t>(-sum + (at == 8 ? !good_checksum : !good_extended));
  };
  fix(8, 20);  // first: the extended checksum covers this one's byte
  if (revision >= 2) fix(32, 36);
  return r;
}

}  // namespace

TEST_CASE("find_rsdp: in the BIOS area, version 1 and version 2") {
  FakePhys phys;
  Bytes area(0x20000, 0);
  Bytes v1 = rsdp(0);
  std::memcpy(&area[0xf5a0], v1.data(), v1.size());
  phys.place(0xe0000, area);
  unsigned char out[36];
  CHECK(abyss::find_rsdp(phys.view(), out) == 20);
  CHECK(std::memcmp(out, v1.data(), 20) == 0);

  FakePhys phys2;
  Bytes v2 = rsdp(2);
  std::memcpy(&area[0xf5a0], v2.data(), v2.size());
  phys2.place(0xe0000, area);
  CHECK(abyss::find_rsdp(phys2.view(), out) == 36);
  CHECK(std::memcmp(out, v2.data(), 36) == 0);
}

TEST_CASE("find_rsdp: the EBDA first; bad checksums and unaligned copies are skipped") {
  FakePhys phys;
  Bytes bda = {0x00, 0x9f};  // EBDA segment 0x9f00: at 0x9f000
  phys.place(0x40e, bda);
  Bytes ebda(1024, 0);
  Bytes bad = rsdp(0, false);
  std::memcpy(&ebda[0x10], bad.data(), bad.size());  // wrong checksum: skipped
  Bytes good = rsdp(0);
  std::memcpy(&ebda[0x48], good.data(), good.size());  // not on 16 bytes: not seen
  std::memcpy(&ebda[0x80], good.data(), good.size());
  phys.place(0x9f000, ebda);
  Bytes area(0x20000, 0);
  Bytes v2 = rsdp(2);
  std::memcpy(&area[0x100], v2.data(), v2.size());
  phys.place(0xe0000, area);
  unsigned char out[36];
  CHECK(abyss::find_rsdp(phys.view(), out) == 20);  // the EBDA's, found first

  FakePhys v2_bad_extended;  // version 2 whose extended checksum fails: its first 20 bytes
  Bytes v2bad = rsdp(2, true, false);
  std::memcpy(&area[0x100], v2bad.data(), v2bad.size());
  v2_bad_extended.place(0xe0000, area);
  CHECK(abyss::find_rsdp(v2_bad_extended.view(), out) == 20);
}

TEST_CASE("find_rsdp: none anywhere") {
  FakePhys phys;
  phys.place(0xe0000, Bytes(0x20000, 0));
  unsigned char out[36];
  CHECK(abyss::find_rsdp(phys.view(), out) == 0);
  FakePhys empty;
  CHECK(abyss::find_rsdp(empty.view(), out) == 0);
}
