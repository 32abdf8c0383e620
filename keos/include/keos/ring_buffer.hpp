/// \file
/// RingBuffer<N>: a bounded FIFO of bytes, the storage of a pipe. No locking: the owner
/// serialises access. Host-testable.
#pragma once

#include <cstddef>
#include <cstdint>

#include <abyss/string.hpp>

namespace keos {

/// A FIFO of at most `N` bytes, stored inline (no allocation).
template <std::size_t N>
class RingBuffer {
  static_assert(N > 0);

 public:
  /// The most bytes the buffer holds.
  static constexpr std::size_t capacity() { return N; }
  /// Bytes queued now.
  std::size_t size() const { return size_; }
  /// Bytes that can still be written.
  std::size_t space() const { return N - size_; }
  /// True if nothing is queued.
  bool empty() const { return size_ == 0; }
  /// True if nothing more fits.
  bool full() const { return size_ == N; }

  /// Appends up to `n` bytes of `src` (as many as fit); returns how many.
  std::size_t write(const std::uint8_t* src, std::size_t n) {
    if (n > space()) n = space();
    if (n == 0) return 0;  // `src` may then be null, which memcpy must never see
    std::size_t tail = (head_ + size_) % N;
    std::size_t first = n < N - tail ? n : N - tail;  // up to the end of the array
    memcpy(data_ + tail, src, first);
    memcpy(data_, src + first, n - first);            // the rest wraps to the start
    size_ += n;
    return n;
  }

  /// Removes up to `n` bytes into `dst` (as many as there are); returns how many.
  std::size_t read(std::uint8_t* dst, std::size_t n) {
    if (n > size_) n = size_;
    if (n == 0) return 0;  // `dst` may then be null, which memcpy must never see
    std::size_t first = n < N - head_ ? n : N - head_;
    memcpy(dst, data_ + head_, first);
    memcpy(dst + first, data_, n - first);
    head_ = (head_ + n) % N;
    size_ -= n;
    return n;
  }

 private:
  std::uint8_t data_[N];
  std::size_t head_ = 0;  // index of the oldest byte
  std::size_t size_ = 0;
};

}  // namespace keos
