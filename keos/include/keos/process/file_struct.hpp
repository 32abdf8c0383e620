/// \file
/// FileStruct: a process's file-descriptor table, and the open files behind it.
///
/// fd 0 is stdin (read only), 1 stdout and 2 stderr (write only), all on the thread's
/// teletype. A new fd is the lowest free one >= 3; at most kMaxFiles are open (EMFILE).
/// Errors follow the system-call rules: a bad fd is kBadFileDescriptor; reading a
/// write-only file (or writing a read-only one), seek/tell on 0, 1, 2 or a pipe, and a
/// negative resulting offset are kInvalidArgument. Reads stop at the end of a file; seek
/// past the end is allowed; writes never grow a file.
///
/// clone() is for fork: the child gets its own OpenFile for every fd, with the same file
/// (regular files and pipe ends are shared) and the same offset, but later seeks in one
/// process do not move the other's offset.
#pragma once

#include <cstddef>
#include <cstdint>

#include <keos/channel.hpp>
#include <keos/box.hpp>
#include <keos/result.hpp>
#include <keos/teletype.hpp>

namespace keos {

namespace fs {
class File;
}

/// Where seek() counts from (the ABI's values).
enum class Whence {
  kSet = 0,      ///< from the start of the file
  kCurrent = 1,  ///< from the current offset
  kEnd = 2       ///< from the end of the file
};

/// One open file of one descriptor. Buffers are kernel memory. The base class refuses
/// every operation with kInvalidArgument; each kind of file overrides what it supports.
class OpenFile {
 public:
  /// Closes the file (a pipe end loses one handle).
  virtual ~OpenFile() = default;
  /// Reads up to `len` bytes at the current offset into `dst` and advances the offset;
  /// returns how many (0 at the end of the file or of the input).
  virtual Result<std::size_t> read(void* dst, std::size_t len);
  /// Writes up to `len` bytes from `src` at the current offset and advances it; returns
  /// how many (a regular file is never grown).
  virtual Result<std::size_t> write(const void* src, std::size_t len);
  /// Moves the offset to `offset` counted from `whence`; returns the new offset.
  virtual Result<std::uint64_t> seek(std::int64_t offset, Whence whence);
  /// The current offset.
  virtual Result<std::uint64_t> tell();
  /// The regular file behind this descriptor (for file mappings), or nullptr.
  virtual fs::File* regular_file() { return nullptr; }
  /// True if a read may return fewer bytes than asked although more will come (pipes,
  /// terminals): such a read returns after one transfer.
  virtual bool is_stream() const { return false; }
  /// A copy for a forked child; kNoMemory.
  virtual Result<Box<OpenFile>> clone() const = 0;
};

/// The access an open() asks for (the ABI's values).
enum class OpenMode {
  kReadOnly = 0,   ///< read() only
  kWriteOnly = 1,  ///< write() only
  kReadWrite = 2   ///< both
};

/// Opens the root-file-system file `name`; kNoSuchEntry, kNoMemory.
Result<Box<OpenFile>> open_regular(const char* name, OpenMode mode);
/// The two ends of a new pipe as open files.
struct OpenPipe {
  Box<OpenFile> read_end;   ///< the read end (read() only)
  Box<OpenFile> write_end;  ///< the write end (write() only)
};
/// The two ends of a new pipe as open files; kNoMemory.
Result<OpenPipe> open_pipe();

/// A process's descriptor table (see the file comment). Move-only. Used only by its
/// process's thread, so it takes no lock.
class FileStruct {
 public:
  static constexpr int kMaxFiles = 1024;  ///< descriptors per process, 0, 1 and 2 included

  /// A table with stdin, stdout and stderr.
  static Result<FileStruct> create();
  /// Takes over `other`'s descriptors; `other` is left empty.
  FileStruct(FileStruct&& other) = default;
  FileStruct(const FileStruct&) = delete;
  FileStruct& operator=(const FileStruct&) = delete;
  // Destroying the table closes every open descriptor.

  /// Gives `file` the lowest free fd >= 3 (and closes it if there is none:
  /// kTooManyFiles).
  Result<int> install(Box<OpenFile> file);
  /// The file of `fd` (borrowed); kBadFileDescriptor if none.
  Result<OpenFile*> get(int fd);
  /// Closes `fd`; kBadFileDescriptor if it is not open.
  Result<void> close(int fd);
  /// A copy for a forked child (see the file comment).
  Result<FileStruct> clone() const;

 private:
  explicit FileStruct(Box<Box<OpenFile>[]> slots) : slots_(std::move(slots)) {}
  Box<Box<OpenFile>[]> slots_;  // kMaxFiles entries, empty where free
};

}  // namespace keos
