/// \file
/// SpinLock: a test-and-test-and-set lock for short critical sections on any CPU.
///
/// SpinLockGuard is the way to take it: it disables interrupts on this CPU for as long as it
/// holds the lock (an interrupt handler taking the same lock would otherwise deadlock) and
/// restores the interrupt state it found. While waiting, a CPU calls cpu_relax(), which runs
/// the registered spin hook: the kernel uses it to answer TLB shootdowns that arrive while
/// this CPU spins with interrupts disabled, so two CPUs can never wait on each other forever.
/// Taking a lock this CPU already holds is a bug and panics.
#pragma once

#include <atomic>
#include <cstdint>

#include <abyss/cpu.hpp>
#include <abyss/panic.hpp>
#include <abyss/percpu.hpp>

namespace abyss {

/// A function run by every spin-wait loop on each iteration (e.g. to answer pending
/// cross-CPU requests). Set once during boot; may be null.
using SpinHook = void (*)();
/// Installs the spin hook (nullptr: none).
void set_spin_hook(SpinHook hook);

/// One iteration of a spin-wait loop: a `pause` plus the spin hook.
void cpu_relax();

/// A raw spin lock. It does not protect data by itself (keos::SpinLock<T> does) and does
/// not disable interrupts: take it through SpinLockGuard. Not recursive.
class SpinLock {
 public:
  /// A free lock.
  constexpr SpinLock() = default;
  SpinLock(const SpinLock&) = delete;
  SpinLock& operator=(const SpinLock&) = delete;

  /// Takes the lock if it is free. Does not touch the interrupt flag.
  bool try_lock();
  /// Spins until the lock is taken. Does not touch the interrupt flag: use SpinLockGuard.
  /// Panics if this CPU holds it already. Inline: a free lock costs one compare-exchange.
  void lock() {
    std::uint32_t owner = kFree;
    if (!owner_.compare_exchange_strong(owner, cpu_id(), std::memory_order_acquire,
                                        std::memory_order_relaxed)) {
      lock_contended(owner);
    }
  }
  /// Releases the lock, which this CPU must hold.
  void unlock() {
    KASSERT(held_by_this_cpu());
    owner_.store(kFree, std::memory_order_release);
  }
  /// True if some CPU holds the lock (a snapshot: it may change at once).
  bool is_locked() const { return owner_.load(std::memory_order_relaxed) != kFree; }
  /// True if the lock is held by the CPU running this code.
  bool held_by_this_cpu() const { return owner_.load(std::memory_order_relaxed) == cpu_id(); }
  /// Releases the lock whoever holds it. Only for the panic path, after other CPUs stopped.
  void force_unlock() { owner_.store(kFree, std::memory_order_release); }

 private:
  static constexpr std::uint32_t kFree = 0xffffffff;
  void lock_contended(std::uint32_t owner);  // the slow path of lock(): `owner` held it
  std::atomic<std::uint32_t> owner_{kFree};  // id of the holding CPU, or kFree
};

/// Holds `lock` with interrupts disabled for the guard's lifetime.
class [[nodiscard]] SpinLockGuard {
 public:
  /// Disables interrupts, then spins until `lock` is taken.
  explicit SpinLockGuard(SpinLock& lock) : lock_(lock) { lock_.lock(); }
  /// Releases the lock, then restores the interrupt state found at construction.
  ~SpinLockGuard() { lock_.unlock(); }
  SpinLockGuard(const SpinLockGuard&) = delete;
  SpinLockGuard& operator=(const SpinLockGuard&) = delete;

 private:
  cpu::InterruptGuard irq_;  // constructed first: interrupts are off before we spin
  SpinLock& lock_;
};

}  // namespace abyss
