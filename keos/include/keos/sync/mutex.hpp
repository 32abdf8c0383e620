/// \file
/// Mutex<T>: data guarded by a sleeping lock. A thread that finds it taken sleeps on a
/// wait queue instead of spinning, so it may be held across operations that sleep (unlike
/// SpinLock). It must not be taken in an interrupt handler or with a spin lock held.
///
/// ```{.cpp}
///   Mutex<Table> table;
///   { auto guard = table.lock(); guard->insert(...); }
/// ```
#pragma once

#include <atomic>
#include <utility>

#include <keos/sync/wait_queue.hpp>

namespace keos {

/// A T that only the holder of the mutex may touch (see the file comment).
template <class T>
class Mutex {
 public:
  /// Proof that the mutex is held, and the way to the data; releases it when destroyed.
  class [[nodiscard]] Guard {
   public:
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
    /// Releases the mutex and wakes one waiter.
    ~Guard() { mutex_.unlock(); }
    /// The guarded data's members.
    T* operator->() { return &mutex_.value_; }
    /// The guarded data.
    T& operator*() { return mutex_.value_; }

   private:
    friend class Mutex;
    explicit Guard(Mutex& mutex) : mutex_(mutex) {}
    Mutex& mutex_;
  };

  /// An unlocked mutex whose data is constructed from `args`.
  template <class... Args>
  explicit Mutex(Args&&... args) : value_(std::forward<Args>(args)...) {}
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  /// Takes the mutex, sleeping while another thread holds it (a kill does not cut it short).
  Guard lock() {
    waiters_.wait_until(
        [this] {
          bool expected = false;
          return locked_.compare_exchange_strong(expected, true, std::memory_order_acquire);
        },
        Wakeup::kOnlyWhenReady);
    return Guard(*this);
  }

 private:
  void unlock() {
    locked_.store(false, std::memory_order_release);
    waiters_.wake_one();
  }

  std::atomic<bool> locked_{false};
  WaitQueue waiters_;
  T value_;
};

}  // namespace keos
