/// \file
/// Teletype: the terminal behind a thread's standard streams (fds 0, 1 and 2 of a process).
///
/// Standard input is canned: the bytes given at creation, then end of input. Output to
/// stdout and stderr is kept in memory (tests compare it) and, if asked, echoed on the
/// console as framed lines that cannot mix with kernel log lines:
/// ```
///   @@ out 1 TEXT      (stdout; 2 for stderr)
/// ```
/// where TEXT escapes a backslash as two backslashes, newline as `\n`, tab as `\t`, and
/// any other byte outside printable ASCII as `\xHH`; the host runner rebuilds the exact
/// bytes.
///
/// A thread inherits its creator's teletype; a test gives each test its own. Reference
/// counted; the last unref() frees it.
#pragma once

#include <atomic>
#include <cstddef>

#include <keos/result.hpp>
#include <keos/sync/mutex.hpp>

namespace keos {

/// An output stream, numbered as its file descriptor.
enum class Stream {
  kStdout = 1,  ///< standard output
  kStderr = 2   ///< standard error
};
/// Whether output also goes to the console.
enum class Echo {
  kNo,  ///< capture only
  kYes  ///< capture and echo
};

/// A canned-input, captured-output terminal (see the file comment). Thread-safe.
class Teletype {
 public:
  /// A teletype reading `input` (copied) and capturing what is written; nullptr if out
  /// of memory.
  static Teletype* create(const char* input, std::size_t input_len, Echo echo);
  /// Takes one more reference.
  void ref() { refs_.fetch_add(1, std::memory_order_relaxed); }
  /// Drops a reference; the last one frees the teletype and its captures.
  void unref();
  /// How many references there are: one per thread that uses this teletype (released
  /// once the thread is gone entirely) plus the holders' own.
  int refs() const { return refs_.load(std::memory_order_acquire); }

  /// Copies up to `len` bytes of the remaining input into `dst`; 0 at the end of input.
  std::size_t read(void* dst, std::size_t len);
  /// Appends to the stream's capture (beyond kCaptureLimit bytes the capture stops
  /// growing, and truncated() says so) and echoes if asked. Returns `len`.
  std::size_t write(Stream stream, const void* src, std::size_t len);

  /// The most bytes kept of each stream.
  static constexpr std::size_t kCaptureLimit = 1 << 20;
  /// What was written to `stream` so far (captured_size() bytes, not NUL-terminated;
  /// nullptr if nothing was).
  const char* captured(Stream stream);
  /// How many bytes of `stream` are kept.
  std::size_t captured_size(Stream stream);
  /// True if `stream` got more than kCaptureLimit bytes and the rest was dropped.
  bool truncated(Stream stream);
  /// Makes room for `bytes` of output on each stream in advance (a test that runs a
  /// program short of memory must not lose its output); false if out of memory.
  bool reserve_output(std::size_t bytes);
  /// Frees what was captured (the test harness does, before counting free frames).
  void discard_output();

 private:
  struct Capture {
    char* data = nullptr;
    std::size_t size = 0;
    std::size_t capacity = 0;
    bool truncated = false;
  };
  struct State {
    char* input = nullptr;
    std::size_t input_len = 0;
    std::size_t input_pos = 0;
    Capture out[2];
  };
  explicit Teletype(Echo echo) : echo_(echo) {}
  ~Teletype();
  static void echo_lines(Stream stream, const char* data, std::size_t len);

  std::atomic<int> refs_{1};
  Echo echo_;
  Mutex<State> state_;
};

}  // namespace keos
