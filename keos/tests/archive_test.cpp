// The ustar parser of the root file system (keos/fs/archive.hpp) over archives written by
// the test: lookup of files, their sizes and contents, the "./" prefix, directories
// skipped, the ways an archive may end; and hostile input (bad checksum or magic,
// non-octal sizes, data or headers running past the end, bad names, duplicates, other
// entry types) refused with kInvalidArgument, with no read outside the buffer (ASan).
#include <keos/fs/archive.hpp>

#include <array>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "catch.hpp"

using keos::KernelError;
using keos::Result;
using keos::fs::Archive;
using keos::fs::ArchiveEntry;

namespace {

constexpr std::size_t kBlock = 512;
using Header = std::array<std::uint8_t, kBlock>;

void put(Header& h, std::size_t at, const std::string& s) {
  std::memcpy(&h[at], s.data(), s.size());
}

// Writes the checksum of `h` (computed with the field as spaces) as tar does: "%06o\0 ".
void seal(Header& h) {
  std::memset(&h[148], ' ', 8);
  unsigned sum = 0;
  for (std::uint8_t b : h) sum += b;
  char field[8];
  std::snprintf(field, sizeof field, "%06o", sum);
  std::memcpy(&h[148], field, 7);  // six digits and the NUL; the space stays
}

// A sealed ustar header for an entry called `name` of `size` bytes and type `type`.
Header header(const std::string& name, std::size_t size, char type = '0') {
  Header h{};
  put(h, 0, name);
  put(h, 100, "0000644");
  char octal[12];
  std::snprintf(octal, sizeof octal, "%011zo", size);
  put(h, 124, octal);
  put(h, 136, "00000000000");
  h[156] = static_cast<std::uint8_t>(type);
  put(h, 257,
      std::string("ustar\0"
                  "00",
                  8));
  seal(h);
  return h;
}

struct Tar {
  std::vector<std::uint8_t> bytes;

  Tar& raw(const Header& h) {
    bytes.insert(bytes.end(), h.begin(), h.end());
    return *this;
  }
  Tar& data(const std::string& content) {
    bytes.insert(bytes.end(), content.begin(), content.end());
    bytes.resize((bytes.size() + kBlock - 1) / kBlock * kBlock, 0);
    return *this;
  }
  Tar& file(const std::string& name, const std::string& content) {
    return raw(header(name, content.size())).data(content);
  }
  Tar& end() {
    bytes.resize(bytes.size() + 2 * kBlock, 0);
    return *this;
  }
};

// Parses a copy of exactly `n` bytes on the heap, so ASan catches any read past the end.
Result<Archive> parse(const std::vector<std::uint8_t>& bytes, std::size_t n) {
  std::unique_ptr<std::uint8_t[]> copy(new std::uint8_t[n == 0 ? 1 : n]);
  if (n != 0) std::memcpy(copy.get(), bytes.data(), n);
  return Archive::parse(copy.get(), n);
}
Result<Archive> parse(const std::vector<std::uint8_t>& bytes) { return parse(bytes, bytes.size()); }

std::string contents(const std::vector<std::uint8_t>& tar, const ArchiveEntry& e) {
  return std::string(reinterpret_cast<const char*>(tar.data() + e.offset), e.size);
}

KernelError parse_error(const Tar& t) { return parse(t.bytes).error(); }

}  // namespace

TEST_CASE("archive: files are found by name with their sizes and contents") {
  std::string big(1000, 'x');
  big[999] = 'y';
  Tar t;
  t.raw(header("bin/", 0, '5')).file("hello.txt", "hello, world\n").file("./init", big);
  t.raw(header("empty", 0)).end();
  Archive a = parse(t.bytes).take();
  REQUIRE(a.count() == 3);
  CHECK(std::string(a.entry(0).name) == "hello.txt");
  CHECK(std::string(a.entry(1).name) == "init");  // "./" is dropped
  CHECK(std::string(a.entry(2).name) == "empty");

  const ArchiveEntry* hello = a.find("hello.txt");
  REQUIRE(hello != nullptr);
  CHECK(hello->offset == 2 * kBlock);  // after the directory's and its own header
  CHECK(hello->size == 13);
  CHECK(contents(t.bytes, *hello) == "hello, world\n");
  const ArchiveEntry* init = a.find("init");
  REQUIRE(init != nullptr);
  CHECK(init->offset == 4 * kBlock);
  CHECK(contents(t.bytes, *init) == big);
  CHECK(a.find("empty")->size == 0);
  CHECK(a.find("bin/") == nullptr);  // directories are not files
  CHECK(a.find("bin") == nullptr);
  CHECK(a.find("./init") == nullptr);
  CHECK(a.find("hello") == nullptr);
  CHECK(a.find("") == nullptr);
}

TEST_CASE("archive: a moved archive keeps its entries") {
  Tar t;
  t.file("a", "1").end();
  Archive a = parse(t.bytes).take();
  Archive b(std::move(a));
  CHECK(a.count() == 0);
  CHECK(a.find("a") == nullptr);
  CHECK(b.count() == 1);
  CHECK(b.find("a") != nullptr);
}

TEST_CASE("archive: the ways an archive may end") {
  CHECK(parse({}).take().count() == 0);
  Tar zeros;
  zeros.end();
  CHECK(parse(zeros.bytes).take().count() == 0);

  Tar t;
  t.file("a", "abc").file("b", std::string(600, 'b'));
  CHECK(parse(t.bytes).take().count() == 2);  // at the end of the data, no zero block
  std::size_t unpadded = t.bytes.size() - kBlock + 600 - kBlock;
  CHECK(parse(t.bytes, unpadded).take().count() == 2);  // the last file's padding cut off
  CHECK(parse(t.bytes, unpadded - 1).error() == KernelError::kInvalidArgument);

  Tar after;
  after.file("a", "abc").end().file("ignored", "x");
  Archive a = parse(after.bytes).take();
  CHECK(a.count() == 1);  // nothing after the end marker counts
  CHECK(a.find("ignored") == nullptr);
}

TEST_CASE("archive: type NUL is a regular file; a 100-byte name needs no NUL") {
  std::string longest(100, 'n');
  Tar t;
  t.raw(header("old-style", 2, '\0')).data("hi").file(longest, "z").end();
  Archive a = parse(t.bytes).take();
  REQUIRE(a.count() == 2);
  CHECK(contents(t.bytes, *a.find("old-style")) == "hi");
  const ArchiveEntry* e = a.find(longest.c_str());
  REQUIRE(e != nullptr);
  CHECK(std::strlen(e->name) == 100);
}

TEST_CASE("archive: a wrong checksum or magic is refused") {
  Header h = header("f", 1);
  h[0] = 'g';  // changed after sealing
  CHECK(parse_error(Tar().raw(h).data("x").end()) == KernelError::kInvalidArgument);

  Header no_magic = header("f", 1);
  put(no_magic, 257, "ustaR");
  seal(no_magic);
  CHECK(parse_error(Tar().raw(no_magic).data("x").end()) == KernelError::kInvalidArgument);

  Header bad_field = header("f", 1);
  put(bad_field, 148, "0x1234\0 ");  // not octal at all
  CHECK(parse_error(Tar().raw(bad_field).data("x").end()) == KernelError::kInvalidArgument);

  Tar good;  // a valid file before a bad one does not save the archive
  good.file("ok", "fine").raw(h).data("x").end();
  CHECK(parse_error(good) == KernelError::kInvalidArgument);
}

TEST_CASE("archive: sizes must be octal and inside the data") {
  auto with_size = [](const std::string& field) {
    Header h = header("f", 0);
    std::memset(&h[124], 0, 12);
    put(h, 124, field);
    seal(h);
    return parse_error(Tar().raw(h).data(std::string(kBlock, 'd')).end());
  };
  CHECK(with_size("00000000x12") == KernelError::kInvalidArgument);
  CHECK(with_size("00000000018") == KernelError::kInvalidArgument);  // 8 is not octal
  CHECK(with_size("-0000000001") == KernelError::kInvalidArgument);
  CHECK(with_size("") == KernelError::kInvalidArgument);  // no digits
  CHECK(with_size("   ") == KernelError::kInvalidArgument);
  CHECK(with_size("12 3") == KernelError::kInvalidArgument);         // digits after the end
  CHECK(with_size("77777777777") == KernelError::kInvalidArgument);  // far past the end
  // The same field grammar, accepted: leading spaces, trailing space or NUL.
  Header spaced = header("f", 0);
  put(spaced, 124, "       1000 ");  // 512 bytes
  seal(spaced);
  Tar t;
  t.raw(spaced).data(std::string(kBlock, 'd'));
  CHECK(parse(t.bytes).take().find("f")->size == kBlock);

  Tar past;  // one byte more than the archive holds
  past.raw(header("f", 2 * kBlock + 1)).data(std::string(2 * kBlock, 'd'));
  CHECK(parse_error(past) == KernelError::kInvalidArgument);
}

TEST_CASE("archive: a header cut short is refused") {
  Tar t;
  t.file("a", "abc").file("b", "def");
  for (std::size_t cut : {std::size_t{1}, std::size_t{100}, kBlock - 1}) {
    CHECK(parse(t.bytes, 2 * kBlock + cut).error() == KernelError::kInvalidArgument);
    CHECK(parse(t.bytes, cut).error() == KernelError::kInvalidArgument);
  }
}

TEST_CASE("archive: bad names, duplicates, prefixes and other types are refused") {
  CHECK(parse_error(Tar().file("a/b", "x").end()) == KernelError::kInvalidArgument);
  CHECK(parse_error(Tar().file("./a/b", "x").end()) == KernelError::kInvalidArgument);
  CHECK(parse_error(Tar().file("./", "x").end()) == KernelError::kInvalidArgument);
  CHECK(parse_error(Tar().file("", "x").end()) == KernelError::kInvalidArgument);
  CHECK(parse_error(Tar().file("x", "1").file("./x", "2").end()) == KernelError::kInvalidArgument);
  CHECK(parse_error(Tar().raw(header("link", 0, '2')).end()) == KernelError::kInvalidArgument);
  CHECK(parse_error(Tar().raw(header("hard", 0, '1')).end()) == KernelError::kInvalidArgument);
  CHECK(parse_error(Tar().raw(header("gnu", 0, 'L')).end()) == KernelError::kInvalidArgument);
  Header prefixed = header("f", 1);
  put(prefixed, 345, "usr/bin");
  seal(prefixed);
  CHECK(parse_error(Tar().raw(prefixed).data("x").end()) == KernelError::kInvalidArgument);
  // A directory's name is not checked: it is skipped whatever it is called.
  CHECK(parse(Tar().raw(header("a/b/c/", 0, '5')).end().bytes).take().count() == 0);
}

TEST_CASE("archive: truncated and corrupted archives never read outside the buffer") {
  Tar t;
  t.file("one", "1").file("two", std::string(700, '2')).raw(header("d/", 0, '5'));
  t.file("three", std::string(512, '3')).end();
  auto check_inside = [](const Result<Archive>& r, std::size_t n) {
    if (r.is_err()) {
      CHECK(r.error() == KernelError::kInvalidArgument);
      return;
    }
    const Archive& a = r.value();
    for (std::size_t i = 0; i < a.count(); ++i) CHECK(a.entry(i).offset + a.entry(i).size <= n);
  };
  for (std::size_t n = 0; n <= t.bytes.size(); ++n) check_inside(parse(t.bytes, n), n);

  std::mt19937 rng(99);
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::uint8_t> bad = t.bytes;
    for (int k = 0; k < 3; ++k) bad[rng() % bad.size()] = static_cast<std::uint8_t>(rng());
    std::size_t n = rng() % (bad.size() + 1);
    check_inside(parse(bad, n), n);
  }
}

TEST_CASE("archive: a refusal says what is wrong and at which header") {
  auto defect_of = [](const std::vector<std::uint8_t>& bytes, std::size_t n) {
    keos::fs::ArchiveDefect d;
    Result<Archive> r = Archive::parse(bytes.data(), n, &d);
    REQUIRE(r.is_err());
    CHECK(r.error() == KernelError::kInvalidArgument);
    REQUIRE(d.reason != nullptr);
    return d;
  };
  auto defect = [&](const Tar& t) { return defect_of(t.bytes, t.bytes.size()); };
  Tar ok;
  ok.file("ok", "fine");  // two blocks: the second header is at byte 1024

  Header bad_sum = header("f", 1);
  bad_sum[0] = 'g';
  keos::fs::ArchiveDefect d = defect(Tar(ok).raw(bad_sum).data("x").end());
  CHECK(std::string(d.reason) == "bad header checksum");
  CHECK(d.offset == 2 * kBlock);

  Header past = header("f", 5 * kBlock);
  d = defect(Tar(ok).raw(past).data("x").end());
  CHECK(std::string(d.reason) == "file data past the end of the archive");
  CHECK(d.offset == 2 * kBlock);

  Header not_octal = header("f", 0);
  put(not_octal, 124, "0000000009 ");
  seal(not_octal);
  d = defect(Tar().raw(not_octal).end());
  CHECK(std::string(d.reason) == "size field not octal");
  CHECK(d.offset == 0);

  Header base256 = header("f", 0);  // GNU's binary size: not ustar, refused
  std::memset(&base256[124], 0, 12);
  base256[124] = 0x80;
  base256[135] = 1;
  seal(base256);
  CHECK(std::string(defect(Tar().raw(base256).end()).reason) == "size field not octal");

  Header magic = header("f", 0);
  put(magic, 257, "USTAR");
  seal(magic);
  CHECK(std::string(defect(Tar().raw(magic).end()).reason) == "no ustar magic");

  Tar cut = Tar(ok).file("g", "y");
  d = defect_of(cut.bytes, 2 * kBlock + 100);
  CHECK(std::string(d.reason) == "the archive ends inside a header");
  CHECK(d.offset == 2 * kBlock);

  d = defect(Tar(ok).file("ok", "again").end());
  CHECK(std::string(d.reason) == "a name seen twice");
  CHECK(d.offset == 2 * kBlock);

  CHECK(std::string(defect(Tar().raw(header("l", 0, '2')).end()).reason) ==
        "not a regular file or directory");
  CHECK(std::string(defect(Tar().file("a/b", "x").end()).reason) ==
        "empty name or a name with '/'");

  // Missing end blocks are not a defect: the archive may end right after the last data.
  CHECK(parse(Tar(ok).bytes).take().count() == 1);
}
