/// \file
/// The root file system: a flat set of regular files, loaded at boot from the ustar archive
/// GRUB passes as the module named "rootfs" (made at build time from userland/rootfs and
/// the user programs).
///
/// Files live for the whole boot, in the module's memory. Reads and writes work at byte
/// offsets; a write never grows a file (it is cut at the file's size) and every later read,
/// through any open, sees it. Names are looked up exactly ("hello", "sys_fork").
#pragma once

#include <cstddef>
#include <cstdint>

#include <abyss/spinlock.hpp>
#include <keos/fs/archive.hpp>
#include <keos/result.hpp>

namespace keos::fs {

/// What add_archive() does with a file whose name the file system already has.
enum class OnClash {
  kKeepFirst,  ///< the file already there stays; the archive's is ignored
  kReplace,    ///< the archive's file takes the name over (a warning says so)
};

/// One file of the root file system. Files are never destroyed; pointers to them stay
/// valid for the whole boot. Safe to use from any CPU.
class File {
 public:
  /// The file's name.
  const char* name() const { return name_; }
  /// The file's size in bytes (fixed: writes never grow a file).
  std::size_t size() const { return size_; }
  /// Copies up to `len` bytes from `offset` into `dst`; returns how many (0 at or past
  /// the end).
  std::size_t read_at(std::size_t offset, void* dst, std::size_t len);
  /// Copies up to `len` bytes from `src` to `offset`, cut at the end of the file; returns
  /// how many.
  std::size_t write_at(std::size_t offset, const void* src, std::size_t len);

 private:
  friend Result<void> add_archive(std::uint8_t* data, std::size_t size, ArchiveDefect* defect,
                                  OnClash on_clash);
  char name_[101] = {};
  unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
  abyss::SpinLock lock_;  // serialises copies in and out of data_
};

/// Loads the root file system from the boot module "rootfs". Errors: kNoSuchEntry (no
/// such module), kInvalidArgument (not a valid archive: `defect`, when given, says why and
/// where), kNoMemory.
Result<void> mount_root(ArchiveDefect* defect = nullptr);
/// Adds the files of another ustar archive (kept in memory from now on) to the file
/// system; a name that already exists keeps its first file, or with OnClash::kReplace
/// (`make run EXTRA_PROGS=`: the user's own programs) gets the archive's, with a console
/// warning naming it. Only at boot, before any file is opened. Errors as mount_root.
Result<void> add_archive(std::uint8_t* data, std::size_t size, ArchiveDefect* defect = nullptr,
                         OnClash on_clash = OnClash::kKeepFirst);
/// The file called `name`; kNoSuchEntry if there is none.
Result<File*> open(const char* name);
/// How many files there are.
std::size_t file_count();
/// The `i`-th file in archive order (`i` must be below file_count()).
File& file_at(std::size_t i);

}  // namespace keos::fs
