/// \file
/// SpinLock<T>: data guarded by a spin lock, reachable only through a guard.
///
/// ```{.cpp}
///   SpinLock<Counter> counter;
///   { auto guard = counter.lock(); guard->value++; }   // interrupts off, lock held
/// ```
///
/// The guard disables interrupts on this CPU while it lives and restores the state it found,
/// so guards nest in LIFO order (a guard must be destroyed before any guard taken earlier).
/// While waiting for the lock, the CPU keeps answering TLB shootdowns (abyss::cpu_relax).
#pragma once

#include <utility>

#include <abyss/spinlock.hpp>

namespace keos {

/// A T that only the holder of the spin lock may touch (see the file comment).
template <class T>
class SpinLock {
 public:
  /// Proof that the lock is held (interrupts off), and the way to the data. Destroying
  /// it releases the lock and restores the interrupt state.
  class [[nodiscard]] Guard {
   public:
    /// The guarded data's members.
    T* operator->() { return &lock_.value_; }
    /// The guarded data.
    T& operator*() { return lock_.value_; }

   private:
    friend class SpinLock;
    explicit Guard(SpinLock& lock) : raw_(lock.raw_), lock_(lock) {}
    abyss::SpinLockGuard raw_;
    SpinLock& lock_;
  };

  /// A free lock whose data is constructed from `args`.
  template <class... Args>
  constexpr explicit SpinLock(Args&&... args) : value_(std::forward<Args>(args)...) {}
  SpinLock(const SpinLock&) = delete;
  SpinLock& operator=(const SpinLock&) = delete;

  /// Takes the lock (spinning) with interrupts disabled until the guard goes.
  Guard lock() { return Guard(*this); }
  /// The value without locking: only where nothing else can touch it (initialisation).
  T& get_unlocked() { return value_; }

 private:
  abyss::SpinLock raw_;
  T value_;
};

}  // namespace keos
