#include <keos/fs/archive.hpp>

#include <new>

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

}  // namespace

Result<Archive> Archive::parse(const std::uint8_t* data, std::size_t size) {
  // First pass counts the files, second records them: both walk the same headers.
  std::size_t files = 0;
  ArchiveEntry* entries = nullptr;
  for (int pass = 0; pass < 2; ++pass) {
    std::size_t n = 0;
    std::size_t at = 0;
    while (at < size) {
      if (size - at < kBlock) {
        delete[] entries;
        return invalid();  // the data ends inside a header
      }
      const std::uint8_t* h = data + at;
      if (all_zero(h, kBlock)) break;  // the end marker
      bool ok = memcmp(h + kMagicAt, "ustar", 5) == 0 && checksum_ok(h) &&
                all_zero(h + kPrefixAt, kPrefixLen);
      Result<std::uint64_t> file_size = octal(h + kSizeAt, kSizeLen);
      ok = ok && file_size.is_ok();
      std::uint64_t len = ok ? file_size.value() : 0;
      std::uint64_t data_at = at + kBlock;
      ok = ok && len <= size - data_at;
      std::uint8_t type = h[kTypeAt];
      bool directory = type == '5';
      ok = ok && (directory || type == '0' || type == 0);
      char name[101] = {};
      ok = ok && (directory || take_name(h, name));
      if (!ok) {
        delete[] entries;
        return invalid();
      }
      if (!directory) {
        if (pass == 1) {
          for (std::size_t k = 0; k < n; ++k) {
            if (strcmp(entries[k].name, name) == 0) {
              delete[] entries;
              return invalid();  // the namespace is flat: one file per name
            }
          }
          memcpy(entries[n].name, name, sizeof name);
          entries[n].offset = data_at;
          entries[n].size = len;
        }
        ++n;
      }
      std::uint64_t blocks = (len + kBlock - 1) / kBlock;
      at = data_at + blocks * kBlock;  // may pass `size` only for the last file's padding
    }
    if (pass == 0) {
      files = n;
      entries = new (std::nothrow) ArchiveEntry[files == 0 ? 1 : files];
      if (entries == nullptr) return Err(KernelError::kNoMemory);
    }
  }
  return Archive(entries, files);
}

const ArchiveEntry* Archive::find(const char* name) const {
  for (std::size_t i = 0; i < count_; ++i) {
    if (strcmp(entries_[i].name, name) == 0) return &entries_[i];
  }
  return nullptr;
}

}  // namespace keos::fs
