/// \file
/// Archive: a ustar archive (POSIX tar, as `tar --format=ustar` writes it) seen as a flat
/// list of regular files. Used for the root file system. Host-testable.
///
/// Accepted: 512-byte headers with magic "ustar", a correct checksum and octal size fields;
/// regular files (type '0' or NUL) whose data lies inside the archive; directory entries
/// (type '5') are skipped. The archive ends at a zero block, or exactly at the end of the
/// data. Names lose a leading "./" and must then be non-empty, contain no '/', not repeat,
/// and use no ustar prefix. Anything else makes parse() fail with kInvalidArgument and,
/// when asked, say what is wrong and where (for the boot's panic message); no input makes
/// it read outside [data, data + size).
#pragma once

#include <cstddef>
#include <cstdint>

#include <keos/box.hpp>
#include <keos/result.hpp>

/// The root file system and the archive format it is loaded from.
namespace keos::fs {

/// One regular file of an archive.
struct ArchiveEntry {
  char name[101];      ///< the file's name, NUL-terminated, without a leading "./"
  std::size_t offset;  ///< of the file's data, from the start of the archive
  std::size_t size;    ///< the file's size in bytes
};

/// Why parse() refused an archive: what is wrong, and the byte offset of the header where
/// it found the problem.
struct ArchiveDefect {
  std::size_t offset = 0;        ///< of the offending 512-byte header from the archive's start
  const char* reason = nullptr;  ///< a static string ("bad header checksum", ...)
};

/// The list of regular files of a validated ustar archive. It owns the list, not the
/// archive's bytes, which must outlive it.
class Archive {
 public:
  /// Parses `size` bytes at `data`. kInvalidArgument (malformed: `defect`, when given,
  /// says why), kNoMemory.
  static Result<Archive> parse(const std::uint8_t* data, std::size_t size,
                               ArchiveDefect* defect = nullptr);

  /// Takes over `other`'s list; `other` is left empty.
  Archive(Archive&& other) : entries_(std::move(other.entries_)), count_(other.count_) {
    other.count_ = 0;
  }
  Archive(const Archive&) = delete;
  Archive& operator=(const Archive&) = delete;

  /// How many regular files the archive holds.
  std::size_t count() const { return count_; }
  /// The `i`-th file in archive order (`i` must be below count()).
  const ArchiveEntry& entry(std::size_t i) const { return entries_[i]; }
  /// The file called `name`, or nullptr.
  const ArchiveEntry* find(const char* name) const;

 private:
  Archive(Box<ArchiveEntry[]> entries, std::size_t count)
      : entries_(std::move(entries)), count_(count) {}
  Box<ArchiveEntry[]> entries_;
  std::size_t count_;
};

}  // namespace keos::fs
