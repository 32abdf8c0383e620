// FrameHog: memory pressure for tests. It takes free frames until only `leave` remain and
// gives every one back when destroyed. The frames it holds are chained through their own
// first bytes, so holding them costs no other memory.
#pragma once

#include <cstddef>

#include <keos/addressing.hpp>

namespace ktest {

class FrameHog {
 public:
  FrameHog() = default;
  /// Takes frames until free_frame_count() == leave (or as close as the allocator gets).
  explicit FrameHog(std::size_t leave) { take_until(leave); }
  ~FrameHog() { release(); }
  void take_until(std::size_t leave);
  /// Gives every held frame back.
  void release();
  FrameHog(const FrameHog&) = delete;
  FrameHog& operator=(const FrameHog&) = delete;

  /// Frames held.
  std::size_t held() const { return held_; }

 private:
  keos::Pa head_{0};
  std::size_t held_ = 0;
};

}  // namespace ktest
