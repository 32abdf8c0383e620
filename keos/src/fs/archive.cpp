#include <keos/fs/archive.hpp>

#include <abyss/string.hpp>

namespace keos::fs {
namespace {

constexpr std::size_t kBlock = 512;
constexpr std::size_t kNameField = 100;

// Header field offsets and lengths.
constexpr std::size_t kSizeAt = 124, kSizeLen = 12;
constexpr std::size_t kChecksumAt = 148, kChecksumLen = 8;
constexpr std::size_t kTypeAt = 156;
constexpr std::size_t kMagicAt = 257;
constexpr std::size_t kPrefixAt = 345, kPrefixLen = 155;

Err invalid() { return Err(KernelError::kInvalidArgument); }

bool all_zero(const std::uint8_t* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

// An octal field: digits, then NUL or spaces (leading spaces allowed).
Result<std::uint64_t> octal(const std::uint8_t* field, std::size_t len) {
  std::size_t i = 0;
  while (i < len && field[i] == ' ') ++i;
  std::uint64_t value = 0;
  std::size_t digits = 0;
  for (; i < len && field[i] >= '0' && field[i] <= '7'; ++i, ++digits) {
    if (value > (~0ull >> 3)) return invalid();
    value = value * 8 + (field[i] - '0');
  }
  for (; i < len; ++i) {
    if (field[i] != 0 && field[i] != ' ') return invalid();
  }
  if (digits == 0) return invalid();
  return value;
}

bool checksum_ok(const std::uint8_t* h) {
  Result<std::uint64_t> stored = octal(h + kChecksumAt, kChecksumLen);
  if (stored.is_err()) return false;
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < kBlock; ++i) {
    bool in_field = i >= kChecksumAt && i < kChecksumAt + kChecksumLen;
    sum += in_field ? ' ' : h[i];
  }
  return sum == stored.value();
}

// The entry's name without a leading "./"; false if it is not acceptable.
bool take_name(const std::uint8_t* h, char (&out)[101]) {
  std::size_t len = 0;
  while (len < kNameField && h[len] != 0) ++len;
  const char* name = reinterpret_cast<const char*>(h);
  if (len >= 2 && name[0] == '.' && name[1] == '/') {
    name += 2;
    len -= 2;
  }
  if (len == 0 || memchr(name, '/', len) != nullptr) return false;
  memcpy(out, name, len);
  out[len] = '\0';
  return true;
}

// One header at `at` (a whole block of the `size`-byte archive): its kind, name and data.
struct Header {
  bool directory;
  char name[101];
  std::uint64_t data_at;  // of its data, from the archive's start
  std::uint64_t len;      // of its data
};

// Checks the header at `at`; returns nullptr and fills `out`, or the reason it is refused.
const char* read_header(const std::uint8_t* data, std::size_t size, std::size_t at, Header& out) {
  const std::uint8_t* h = data + at;
  if (memcmp(h + kMagicAt, "ustar", 5) != 0) return "no ustar magic";
  if (!checksum_ok(h)) return "bad header checksum";
  if (!all_zero(h + kPrefixAt, kPrefixLen)) return "a name prefix (a path too long)";
  Result<std::uint64_t> len = octal(h + kSizeAt, kSizeLen);
  if (len.is_err()) return "size field not octal";
  out.len = len.value();
  out.data_at = at + kBlock;
  if (out.len > size - out.data_at) return "file data past the end of the archive";
  std::uint8_t type = h[kTypeAt];
  out.directory = type == '5';
  if (!out.directory && type != '0' && type != 0) return "not a regular file or directory";
  if (!out.directory && !take_name(h, out.name)) return "empty name or a name with '/'";
  return nullptr;
}

}  // namespace

Result<Archive> Archive::parse(const std::uint8_t* data, std::size_t size, ArchiveDefect* defect) {
  ArchiveDefect ignored;
  if (defect == nullptr) defect = &ignored;
  // First pass counts the files, second records them: both walk the same headers.
  std::size_t files = 0;
  Box<ArchiveEntry[]> entries;
  auto refuse = [&](std::size_t at, const char* reason) -> Err {
    *defect = ArchiveDefect{at, reason};
    return invalid();
  };
  for (int pass = 0; pass < 2; ++pass) {
    std::size_t n = 0;
    std::size_t at = 0;
    while (at < size) {
      if (size - at < kBlock) return refuse(at, "the archive ends inside a header");
      if (all_zero(data + at, kBlock)) break;  // the end marker
      Header h;
      if (const char* reason = read_header(data, size, at, h)) return refuse(at, reason);
      if (!h.directory) {
        if (pass == 1) {
          for (std::size_t k = 0; k < n; ++k) {
            // The namespace is flat: one file per name.
            if (strcmp(entries[k].name, h.name) == 0) return refuse(at, "a name seen twice");
          }
          memcpy(entries[n].name, h.name, sizeof h.name);
          entries[n].offset = h.data_at;
          entries[n].size = h.len;
        }
        ++n;
      }
      std::uint64_t blocks = (h.len + kBlock - 1) / kBlock;
      at = h.data_at + blocks * kBlock;  // may pass `size` only for the last file's padding
    }
    if (pass == 0) {
      files = n;
      entries = TRY(Box<ArchiveEntry[]>::create(files == 0 ? 1 : files));
    }
  }
  return Archive(std::move(entries), files);
}

const ArchiveEntry* Archive::find(const char* name) const {
  for (std::size_t i = 0; i < count_; ++i) {
    if (strcmp(entries_[i].name, name) == 0) return &entries_[i];
  }
  return nullptr;
}

}  // namespace keos::fs
