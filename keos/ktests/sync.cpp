// Locks and wait queues: SpinLock<T> guards restore the interrupt state in LIFO order,
// Mutex<T> excludes sleeping holders, and a WaitQueue loses no wake-up.
#include <atomic>

#include <abyss/cpu.hpp>
#include <keos/sync/mutex.hpp>
#include <keos/sync/spinlock.hpp>
#include <keos/sync/wait_queue.hpp>
#include <keos/test.hpp>
#include <keos/thread/thread.hpp>

using namespace keos;

KEOS_TEST(sync_spinlock_guards_nest) {
  static SpinLock<int> a(1), b(2);
  KEOS_ASSERT(abyss::cpu::interrupts_enabled());
  {
    auto ga = a.lock();
    KEOS_ASSERT(!abyss::cpu::interrupts_enabled());
    {
      auto gb = b.lock();
      *gb += *ga;
      KEOS_ASSERT(!abyss::cpu::interrupts_enabled());
    }
    KEOS_ASSERT(!abyss::cpu::interrupts_enabled());  // the outer guard still holds
  }
  KEOS_ASSERT(abyss::cpu::interrupts_enabled());
  KEOS_ASSERT_EQ(*b.lock(), 3);
}

// Holders yield inside the critical section, so waiters really sleep.
KEOS_TEST(sync_mutex_excludes) {
  static Mutex<long> counter(0);
  static std::atomic<int> inside;
  inside = 0;
  constexpr int kThreads = 6, kRounds = 200;
  JoinHandle* handles[kThreads];
  for (int i = 0; i < kThreads; ++i) {
    auto spawned = ThreadBuilder("locker").spawn([] {
      for (int r = 0; r < kRounds; ++r) {
        auto guard = counter.lock();
        if (inside.fetch_add(1) != 0) return 1;  // someone else is inside too
        long seen = *guard;
        if (r % 16 == 0) Current::yield();
        *guard = seen + 1;
        inside.fetch_sub(1);
      }
      return 0;
    });
    KEOS_ASSERT(spawned.is_ok());
    handles[i] = new JoinHandle(spawned.take());
  }
  int failures = 0;
  for (JoinHandle* h : handles) {
    failures += h->join();
    delete h;
  }
  KEOS_ASSERT_EQ(failures, 0);
  KEOS_ASSERT_EQ(*counter.lock(), static_cast<long>(kThreads) * kRounds);
}

KEOS_TEST(sync_wait_queue_producer_consumer) {
  struct Slot {
    bool full = false;
    int value = 0;
  };
  static SpinLock<Slot> slot;
  static WaitQueue became_full, became_empty;
  *slot.lock() = Slot{};
  constexpr int kItems = 500;
  auto consumer = ThreadBuilder("consumer").spawn([] {
    long sum = 0;
    for (int i = 0; i < kItems; ++i) {
      int value = 0;
      became_full.wait_until([&] {
        auto s = slot.lock();
        if (!s->full) return false;
        value = s->value;
        s->full = false;
        return true;
      });
      became_empty.wake_all();
      if (value != i) return -1;  // out of order or lost
      sum += value;
    }
    return static_cast<int>(sum % 100000);
  });
  KEOS_ASSERT(consumer.is_ok());
  for (int i = 0; i < kItems; ++i) {
    became_empty.wait_until([&] {
      auto s = slot.lock();
      if (s->full) return false;
      s->full = true;
      s->value = i;
      return true;
    });
    became_full.wake_all();
  }
  KEOS_ASSERT_EQ(consumer.take().join(), (kItems * (kItems - 1) / 2) % 100000);
}
