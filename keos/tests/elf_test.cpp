#include <keos/process/elf.hpp>

#include <cstring>
#include <vector>

#include "catch.hpp"

using namespace keos;

namespace {

struct Phdr {
  std::uint32_t type = 1, flags = 5;
  std::uint64_t offset = 0x1000, vaddr = 0x401000, paddr = 0, filesz = 0x100, memsz = 0x100,
                align = 0x1000;
};

// A minimal ELF64 executable image with the given program headers after the header.
std::vector<std::uint8_t> elf(const std::vector<Phdr>& phdrs, std::uint64_t entry = 0x401000,
                              std::size_t file_size = 0x3000) {
  std::vector<std::uint8_t> f(file_size, 0);
  const std::uint8_t ident[] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
  std::memcpy(f.data(), ident, sizeof ident);
  auto put16 = [&](std::size_t at, std::uint16_t v) { std::memcpy(&f[at], &v, 2); };
  auto put32 = [&](std::size_t at, std::uint32_t v) { std::memcpy(&f[at], &v, 4); };
  auto put64 = [&](std::size_t at, std::uint64_t v) { std::memcpy(&f[at], &v, 8); };
  put16(16, 2);
  put16(18, 62);
  put32(20, 1);
  put64(24, entry);
  put64(32, 64);
  put16(52, 64);
  put16(54, 56);
  put16(56, static_cast<std::uint16_t>(phdrs.size()));
  for (std::size_t i = 0; i < phdrs.size(); ++i) {
    std::size_t at = 64 + i * 56;
    put32(at, phdrs[i].type);
    put32(at + 4, phdrs[i].flags);
    put64(at + 8, phdrs[i].offset);
    put64(at + 16, phdrs[i].vaddr);
    put64(at + 24, phdrs[i].paddr);
    put64(at + 32, phdrs[i].filesz);
    put64(at + 40, phdrs[i].memsz);
    put64(at + 48, phdrs[i].align);
  }
  return f;
}

Result<ElfImage> parse(const std::vector<std::uint8_t>& f) {
  return parse_elf(f.data(), f.size(), f.size());
}

bool refused(const std::vector<std::uint8_t>& f) {
  Result<ElfImage> r = parse(f);
  return r.is_err() && r.error() == KernelError::kNoExec;
}

}  // namespace

TEST_CASE("elf: a text and a data segment") {
  Phdr text;
  Phdr data{.type = 1, .flags = 6, .offset = 0x2010, .vaddr = 0x403010, .filesz = 0x20,
            .memsz = 0x2000};
  ElfImage image = parse(elf({text, data})).take();
  REQUIRE(image.segment_count == 2);
  CHECK(image.entry.value() == 0x401000);
  CHECK(image.segments[0].permission ==
        (Permission::kUser | Permission::kRead | Permission::kExecutable));
  CHECK(image.segments[1].permission ==
        (Permission::kUser | Permission::kRead | Permission::kWrite));
  CHECK(image.segments[1].vaddr.value() == 0x403010);
  CHECK(image.segments[1].memsz == 0x2000);
  CHECK(image.segments[1].filesz == 0x20);
}

TEST_CASE("elf: hostile headers are refused") {
  Phdr text;
  auto good = elf({text});
  REQUIRE(parse(good).is_ok());
  SECTION("bad magic, class, endianness, type, machine") {
    for (std::size_t at : {0, 1, 4, 5, 16, 18}) {
      auto f = good;
      f[at] ^= 0x40;
      CHECK(refused(f));
    }
  }
  SECTION("truncated at every length") {
    for (std::size_t n = 0; n < 64 + 56; ++n) {
      CHECK(parse_elf(good.data(), n, n).is_err());
    }
  }
  SECTION("file bytes outside the file") {
    Phdr p = text;
    p.filesz = 0x3000;
    p.memsz = 0x3000;
    CHECK(refused(elf({p})));
    p.offset = ~0ull - 8;  // offset + filesz wraps
    p.filesz = 0x100;
    CHECK(refused(elf({p})));
  }
  SECTION("filesz larger than memsz") {
    Phdr p = text;
    p.memsz = 0x10;
    CHECK(refused(elf({p})));
  }
  SECTION("kernel, page-0, wrapping and non-congruent addresses") {
    Phdr p = text;
    p.vaddr = 0xffffff0000100000;
    CHECK(refused(elf({p}, 0xffffff0000100000)));
    p.vaddr = 0;
    CHECK(refused(elf({p}, 0)));
    p.vaddr = 0x7ffffffff000;
    p.memsz = 0x2000;  // runs past the end of user space
    CHECK(refused(elf({p}, 0x7ffffffff000)));
    p = text;
    p.vaddr = 0x401008;  // offset 0x1000 is not congruent
    CHECK(refused(elf({p}, 0x401008)));
  }
  SECTION("overlapping segments, even sharing one page") {
    Phdr a = text;
    Phdr b = text;
    b.flags = 6;
    b.vaddr = 0x401800;
    b.offset = 0x1800;
    CHECK(refused(elf({a, b})));
  }
  SECTION("entry outside every executable segment") {
    CHECK(refused(elf({text}, 0x500000)));
    Phdr data = text;
    data.flags = 6;
    CHECK(refused(elf({data})));
  }
  SECTION("wrong program header size or count") {
    auto f = good;
    f[54] = 55;
    CHECK(refused(f));
    f = good;
    f[56] = 0;
    CHECK(refused(f));
  }
}

TEST_CASE("elf: says how many bytes the program headers need") {
  std::vector<Phdr> many(10);
  for (std::size_t i = 0; i < many.size(); ++i) {
    many[i].vaddr = 0x401000 + i * 0x1000;
    many[i].offset = 0x1000;
  }
  auto f = elf(many, 0x401000, 0x4000);
  std::size_t needed = 0;
  CHECK(parse_elf(f.data(), 200, f.size(), &needed).is_err());
  CHECK(needed == 64 + 10 * 56);
  CHECK(parse_elf(f.data(), needed, f.size()).is_ok());
}

TEST_CASE("elf: program headers anywhere in the file, read apart from the header") {
  // The table moved 0x2000 bytes into a file of 0x3000: the loader reads the first 64
  // bytes and the table on their own, so nothing past the header need be in `header`.
  auto f = elf({Phdr{}, Phdr{.flags = 6, .vaddr = 0x402000}});
  std::vector<std::uint8_t> table(f.begin() + 64, f.begin() + 64 + 2 * 56);
  std::memset(&f[64], 0, table.size());
  std::uint64_t table_at = 0x2000;
  std::memcpy(&f[32], &table_at, 8);
  std::memcpy(&f[table_at], table.data(), table.size());

  Result<ElfHeaderTable> where = locate_program_headers(f.data(), 64, f.size());
  REQUIRE(where.is_ok());
  CHECK(where.value().offset == 0x2000);
  CHECK(where.value().size == 2 * 56);
  Result<ElfImage> image = parse_elf(f.data(), 64, &f[table_at], f.size());
  REQUIRE(image.is_ok());
  CHECK(image.value().segment_count == 2);
  CHECK(image.value().segments[1].vaddr.value() == 0x402000);
  // A table that would end past the end of the file is refused before anything is read.
  table_at = f.size() - 56;
  std::memcpy(&f[32], &table_at, 8);
  CHECK(locate_program_headers(f.data(), 64, f.size()).is_err());
  // So is a header too short to hold e_phoff and e_phnum.
  CHECK(locate_program_headers(f.data(), 40, f.size()).is_err());
}
