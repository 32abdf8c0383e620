// The Thread record and the scheduler's internal interface (private to keos/src/thread).
#pragma once

#include <atomic>
#include <cstdint>

#include <keos/addressing.hpp>
#include <keos/thread/scheduler.hpp>
#include <keos/thread/thread.hpp>

namespace keos {

enum class ThreadState : std::uint8_t {
  kRunnable,  // on the run queue
  kRunning,   // on a CPU
  kBlocked,   // parked
  kExiting,   // finished, its CPU has not switched away yet
  kExited,    // finished and off every CPU: only references keep it
};

/// A kernel stack in kernel_vm with an unmapped guard region below it.
struct KernelStack {
  Va bottom;  // lowest mapped byte; Va(0) for a boot stack we did not allocate
  Va top;
  static Result<KernelStack> create();
  /// Gives the stack back (to a pool of mapped stacks, or unmapped if more than the
  /// pool's size are mapped).
  void release();
  /// Fills the pool of free stacks (at boot).
  static Result<void> fill_pool();
  /// True if `address` is in this stack's guard region.
  bool in_guard(std::uint64_t address) const;
};

class Thread : public detail::ThreadHead {
 public:
  ThreadId id = 0;
  char name[32] = {};
  std::atomic<ThreadState> state{ThreadState::kRunnable};  // written under the scheduler lock
  std::uint64_t saved_rsp = 0;                             // while not running
  KernelStack stack{};
  Teletype* tty = nullptr;  // a reference; nullptr: the console's
  int (*run)(void*) = nullptr;
  void* arg = nullptr;
  void (*destroy_arg)(void*) = nullptr;
  int exit_code = 0;
  std::atomic<int> refs{0};
  std::atomic<bool> unpark_token{false};
  std::atomic<Thread*> joiner{nullptr};
  Affinity affinity = Affinity::kAnyCpu;
  std::uint32_t cpu = 0;
  Thread* next_runnable = nullptr;   // run-queue link, guarded by the scheduler lock
  const void* waiting_on = nullptr;  // the WaitQueue it is on, guarded by that queue
  Thread* wait_next = nullptr;
  Thread* next_all = nullptr;  // registry links, guarded by the registry lock
  Thread* prev_all = nullptr;
  alignas(16) std::uint8_t fpu[512] = {};  // fxsave area

  /// Frees the stack, the task and the closure: once the thread has finished running.
  void release_resources();
  /// Drops a reference; the last one frees the record.
  void drop_ref();
};

namespace sched {

/// Makes the console's teletype, which threads without their own use (from init_bsp).
void init_console_teletype();

/// The running thread (see detail::running_thread).
inline Thread* current() { return static_cast<Thread*>(detail::running_thread()); }
/// Completes a switch on the thread that now runs: releases the scheduler lock and hands
/// over the thread switched away from, if it exited.
void finish_switch();
/// The FPU/SSE state a new thread starts with.
const std::uint8_t* initial_fpu_state();
/// Puts a new or woken thread on the run queue.
void make_runnable(Thread* t);
/// Parks the running thread until unpark (see Current::park).
void park_current();
void unpark(Thread* t);
/// Ends the running thread.
[[noreturn]] void exit_current(int code);
void yield();

/// Registry of live threads (for kill and unpark by id).
void register_thread(Thread* t);
void unregister_thread(Thread* t);
/// Finds a live thread and takes a reference to it; nullptr if none.
Thread* find_thread(ThreadId id);

}  // namespace sched
}  // namespace keos
