/// \file
/// WaitQueue: threads sleeping until a condition holds.
///
/// ```{.cpp}
///   queue.wait_until([&] { return state.lock()->ready; });   // sleeps until true
///   { state.lock()->ready = true; }  queue.wake_all();        // elsewhere
/// ```
///
/// The condition is checked with the queue's lock held, after the waiter is on the queue,
/// so a wake-up between the check and the sleep is never lost; wake-ups may be spurious
/// (the condition is re-checked). A killed thread stops waiting (wait_until returns false)
/// unless the wait is Wakeup::kOnlyWhenReady. The condition may take spin locks but must
/// not sleep. A thread waits on one queue at a time (the queue links the threads).
#pragma once

#include <abyss/spinlock.hpp>

namespace keos {

class Thread;

/// Whether kill() ends a wait early.
enum class Wakeup { kReadyOrKilled, kOnlyWhenReady };

/// A queue of sleeping threads (see the file comment). Safe from any CPU; wake_one() and
/// wake_all() may be called from interrupt handlers.
class WaitQueue {
 public:
  /// An empty queue.
  constexpr WaitQueue() = default;
  WaitQueue(const WaitQueue&) = delete;
  WaitQueue& operator=(const WaitQueue&) = delete;

  /// Sleeps until `ready()` returns true (returns true) or, unless `wakeup` says
  /// otherwise, the thread is killed (returns false).
  template <class Ready>
  bool wait_until(Ready ready, Wakeup wakeup = Wakeup::kReadyOrKilled) {
    for (;;) {
      if (enqueue_unless(+[](void* ctx) { return (*static_cast<Ready*>(ctx))(); }, &ready)) {
        return true;
      }
      if (!sleep(wakeup)) return false;
    }
  }

  /// Wakes one waiting thread (the longest waiting).
  void wake_one();
  /// Wakes every waiting thread.
  void wake_all();

 private:
  // Under the lock: if ready(ctx) returns true, leaves the queue (if on it) and returns
  // true; otherwise makes sure the running thread is queued and returns false.
  bool enqueue_unless(bool (*ready)(void*), void* ctx);
  // Parks until woken; false if the thread was killed and `wakeup` lets that end the
  // wait (the thread is then off the queue).
  bool sleep(Wakeup wakeup);
  void remove_locked(Thread* t);

  abyss::SpinLock lock_;
  Thread* head_ = nullptr;  // guarded by lock_, linked through Thread::wait_next
  Thread* tail_ = nullptr;
};

}  // namespace keos
