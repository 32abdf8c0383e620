// SymbolTable over blobs in the format scripts/mksyms.py writes ("KSYM", u32 count,
// {u64 address, u32 size, u32 name offset} sorted by address, NUL-terminated names): lookup
// at, inside and past a symbol, size 0 reaching to the next symbol, aliases, an unaligned
// blob, malformed blobs giving an empty table, bad name offsets, and a seeded comparison
// with a linear search.
#include <abyss/symbols.hpp>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "catch.hpp"

using abyss::SymbolInfo;
using abyss::SymbolTable;

namespace {

struct Symbol {
  std::uint64_t address;
  std::uint32_t size;
  std::string name;
};

template <class T>
void append(std::vector<std::uint8_t>& v, T x) {
  for (std::size_t i = 0; i < sizeof x; ++i) v.push_back(static_cast<std::uint8_t>(x >> (8 * i)));
}

// The blob mksyms.py would write for `symbols` (already sorted by address).
std::vector<std::uint8_t> blob(const std::vector<Symbol>& symbols) {
  std::vector<std::uint8_t> out = {'K', 'S', 'Y', 'M'};
  append<std::uint32_t>(out, static_cast<std::uint32_t>(symbols.size()));
  std::string names;
  for (const Symbol& s : symbols) {
    append<std::uint64_t>(out, s.address);
    append<std::uint32_t>(out, s.size);
    append<std::uint32_t>(out, static_cast<std::uint32_t>(names.size()));
    names += s.name;
    names += '\0';
  }
  out.insert(out.end(), names.begin(), names.end());
  return out;
}

std::string name_at(const SymbolTable& t, std::uint64_t address) {
  SymbolInfo s = t.lookup(address);
  return s.name == nullptr ? "<none>" : std::string(s.name) + "+" + std::to_string(s.offset);
}

const std::vector<Symbol> kSymbols = {
    {0xffffff0000100000, 0x40, "abyss_entry32"},
    {0xffffff0000100100, 0x20, "kernel_main"},
    {0xffffff0000100120, 0, "asm_stub"},  // size unknown
    {0xffffff0000100200, 0x10, "keos::PageTable::map(Va, Page, Permission)"},
};

}  // namespace

TEST_CASE("symbols: an address names the function that contains it") {
  std::vector<std::uint8_t> b = blob(kSymbols);
  SymbolTable t(b.data(), b.size());
  CHECK(t.size() == 4);
  CHECK(name_at(t, 0xffffff0000100000) == "abyss_entry32+0");
  CHECK(name_at(t, 0xffffff000010003f) == "abyss_entry32+63");
  CHECK(name_at(t, 0xffffff0000100040) == "<none>");  // past its size, before the next
  CHECK(name_at(t, 0xffffff00000fffff) == "<none>");  // below the first symbol
  CHECK(name_at(t, 0) == "<none>");
  CHECK(name_at(t, 0xffffff0000100110) == "kernel_main+16");
  CHECK(name_at(t, 0xffffff0000100120) == "asm_stub+0");
  CHECK(name_at(t, 0xffffff00001001ff) == "asm_stub+223");  // size 0: up to the next symbol
  CHECK(name_at(t, 0xffffff0000100208) == "keos::PageTable::map(Va, Page, Permission)+8");
  CHECK(name_at(t, 0xffffff0000100210) == "<none>");
  CHECK(name_at(t, ~0ull) == "<none>");
}

TEST_CASE("symbols: aliases at one address give the last one listed") {
  std::vector<std::uint8_t> b =
      blob({{0x1000, 0x10, "first"}, {0x2000, 0x10, "alias_a"}, {0x2000, 0x10, "alias_b"}});
  SymbolTable t(b.data(), b.size());
  CHECK(name_at(t, 0x2004) == "alias_b+4");
  CHECK(name_at(t, 0x1000) == "first+0");
}

TEST_CASE("symbols: the blob may sit at any alignment") {
  std::vector<std::uint8_t> b = blob(kSymbols);
  std::vector<std::uint8_t> shifted(b.size() + 3);
  std::memcpy(shifted.data() + 3, b.data(), b.size());
  SymbolTable t(shifted.data() + 3, b.size());
  CHECK(name_at(t, 0xffffff0000100101) == "kernel_main+1");
}

TEST_CASE("symbols: a malformed blob gives an empty table") {
  std::vector<std::uint8_t> good = blob(kSymbols);
  auto empty = [](const std::vector<std::uint8_t>& b, std::size_t size) {
    SymbolTable t(b.data(), size);
    return t.size() == 0 && t.lookup(0xffffff0000100000).name == nullptr;
  };
  std::vector<std::uint8_t> bad_magic = good;
  bad_magic[3] = 'N';
  CHECK(empty(bad_magic, bad_magic.size()));
  CHECK(empty(good, 7));               // shorter than the header
  CHECK(empty(good, 8 + 16 * 4 - 1));  // the entries do not fit
  std::vector<std::uint8_t> huge_count = good;
  huge_count[7] = 0xff;  // count near 2^32: far past the blob
  CHECK(empty(huge_count, huge_count.size()));
  SymbolTable none(nullptr, 100);
  CHECK(none.size() == 0);
  CHECK(none.lookup(1).name == nullptr);
  SymbolTable defaulted;
  CHECK(defaulted.lookup(1).name == nullptr);
  std::vector<std::uint8_t> no_symbols = blob({});
  CHECK(empty(no_symbols, no_symbols.size()));
}

TEST_CASE("symbols: a name outside the blob or without its NUL is not returned") {
  std::vector<std::uint8_t> b = blob({{0x1000, 0x10, "ok"}, {0x2000, 0x10, "last"}});
  // Cut the final NUL: "last" is no longer terminated inside the blob.
  SymbolTable cut(b.data(), b.size() - 1);
  CHECK(name_at(cut, 0x1001) == "ok+1");
  CHECK(name_at(cut, 0x2001) == "<none>");

  std::vector<std::uint8_t> far = b;
  std::uint32_t offset = 1000;
  std::memcpy(&far[8 + 16 + 12], &offset, 4);  // the second entry's name offset
  SymbolTable t(far.data(), far.size());
  CHECK(name_at(t, 0x2001) == "<none>");
  CHECK(name_at(t, 0x1001) == "ok+1");
}

TEST_CASE("symbols: lookup agrees with a linear search on random tables") {
  std::mt19937_64 rng(31337);
  for (int round = 0; round < 50; ++round) {
    std::vector<Symbol> symbols;
    std::uint64_t address = 0x10000 + rng() % 64;
    std::size_t n = 1 + rng() % 300;
    for (std::size_t i = 0; i < n; ++i) {
      symbols.push_back({address, static_cast<std::uint32_t>(rng() % 3 == 0 ? 0 : rng() % 80),
                         "f" + std::to_string(i)});
      address += rng() % 100;  // sometimes 0: aliases
    }
    std::vector<std::uint8_t> b = blob(symbols);
    SymbolTable t(b.data(), b.size());
    for (int k = 0; k < 400; ++k) {
      std::uint64_t probe = 0x10000 - 10 + rng() % (address - 0x10000 + 200);
      std::string expected = "<none>";
      for (const Symbol& s : symbols) {  // the last symbol at or below the probe
        if (s.address > probe) break;
        bool inside = s.size == 0 || probe - s.address < s.size;
        expected = inside ? s.name + "+" + std::to_string(probe - s.address) : "<none>";
      }
      REQUIRE(name_at(t, probe) == expected);
    }
  }
}
