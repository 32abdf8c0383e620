/// \file
/// Pipes: a bounded byte channel between a read end and a write end.
///
/// - read() on an empty pipe sleeps while a write end exists; it returns what is queued
///   (possibly less than asked). Once every write end is gone and the pipe is drained,
///   read() fails with kBrokenPipe.
/// - write() sleeps while the pipe is full and a read end exists, until every byte is in;
///   with no read end left it fails with kBrokenPipe (or returns what it wrote before).
/// - Ends are reference-counted handles: clone() makes another handle to the same end (a
///   forked process shares its parent's ends); an end closes when its last handle goes.
/// - A killed thread stops waiting: it gets what was done so far, or kBrokenPipe.
/// Buffers are kernel memory: the system-call layer copies user data in and out.
#pragma once

#include <cstddef>

#include <keos/result.hpp>

namespace keos {

class Pipe;
struct PipeEnds;

/// Bytes a pipe holds before writers wait.
inline constexpr std::size_t kPipeCapacity = 64 * 1024 - 256;  ///< the pipe fits in 64 KiB

/// A handle to the read end of a pipe (move-only; clone() for another handle).
class PipeReader {
 public:
  /// Takes over `other`'s handle; `other` is left empty.
  PipeReader(PipeReader&& other) : pipe_(other.pipe_) { other.pipe_ = nullptr; }
  PipeReader(const PipeReader&) = delete;
  PipeReader& operator=(const PipeReader&) = delete;
  /// Drops this handle; the read end closes with its last handle, and then writers fail
  /// with kBrokenPipe.
  ~PipeReader();
  /// Another handle to this read end.
  PipeReader clone() const;
  /// Reads up to `len` bytes into `dst` (see the file comment). len 0 returns 0.
  Result<std::size_t> read(void* dst, std::size_t len);

 private:
  friend Result<PipeEnds> make_pipe();
  explicit PipeReader(Pipe* pipe) : pipe_(pipe) {}
  Pipe* pipe_;
};

/// A handle to the write end of a pipe (move-only; clone() for another handle).
class PipeWriter {
 public:
  /// Takes over `other`'s handle; `other` is left empty.
  PipeWriter(PipeWriter&& other) : pipe_(other.pipe_) { other.pipe_ = nullptr; }
  PipeWriter(const PipeWriter&) = delete;
  PipeWriter& operator=(const PipeWriter&) = delete;
  /// Drops this handle; the write end closes with its last handle, and then readers see
  /// the end of the data once the pipe is drained.
  ~PipeWriter();
  /// Another handle to this write end.
  PipeWriter clone() const;
  /// Writes all `len` bytes of `src` (see the file comment).
  Result<std::size_t> write(const void* src, std::size_t len);

 private:
  friend Result<PipeEnds> make_pipe();
  explicit PipeWriter(Pipe* pipe) : pipe_(pipe) {}
  Pipe* pipe_;
};

/// The two ends of a new pipe, each with one handle.
struct PipeEnds {
  PipeReader reader;  ///< the read end
  PipeWriter writer;  ///< the write end
};

/// A new pipe's two ends, or kNoMemory.
Result<PipeEnds> make_pipe();

}  // namespace keos
