#include <keos/sync/wait_queue.hpp>

#include "thread_internal.hpp"

namespace keos {

bool WaitQueue::enqueue_unless(bool (*ready)(void*), void* ctx) {
  abyss::SpinLockGuard guard(lock_);
  Thread* me = sched::current();
  if (ready(ctx)) {
    if (me->waiting_on == this) remove_locked(me);
    return true;
  }
  if (me->waiting_on != this) {
    KASSERT(me->waiting_on == nullptr);
    me->waiting_on = this;
    me->wait_next = nullptr;
    (tail_ != nullptr ? tail_->wait_next : head_) = me;
    tail_ = me;
  }
  return false;
}

bool WaitQueue::sleep(Wakeup wakeup) {
  sched::park_current();  // returns at once for a killed thread
  if (!Current::killed()) return true;
  if (wakeup == Wakeup::kOnlyWhenReady) {
    sched::yield();  // keep waiting without spinning hot
    return true;
  }
  abyss::SpinLockGuard guard(lock_);
  Thread* me = sched::current();
  if (me->waiting_on == this) remove_locked(me);
  return false;
}

void WaitQueue::remove_locked(Thread* t) {
  Thread* prev = nullptr;
  for (Thread* w = head_; w != nullptr; prev = w, w = w->wait_next) {
    if (w != t) continue;
    (prev != nullptr ? prev->wait_next : head_) = w->wait_next;
    if (tail_ == w) tail_ = prev;
    break;
  }
  t->waiting_on = nullptr;
  t->wait_next = nullptr;
}

void WaitQueue::wake_one() {
  Thread* t;
  {
    abyss::SpinLockGuard guard(lock_);
    t = head_;
    if (t != nullptr) remove_locked(t);
  }
  if (t != nullptr) sched::unpark(t);
}

void WaitQueue::wake_all() {
  Thread* list;
  {
    abyss::SpinLockGuard guard(lock_);
    list = head_;
    for (Thread* t = head_; t != nullptr; t = t->wait_next) t->waiting_on = nullptr;
    head_ = tail_ = nullptr;
  }
  while (list != nullptr) {
    Thread* next = list->wait_next;
    list->wait_next = nullptr;
    sched::unpark(list);
    list = next;
  }
}

}  // namespace keos
