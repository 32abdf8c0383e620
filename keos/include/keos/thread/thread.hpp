/// \file
/// Threads.
///
/// A Thread is a kernel stack, saved registers and a state; it may carry a Task (a user
/// address space and its system calls). Threads are created with ThreadBuilder:
///
/// ```{.cpp}
///   JoinHandle h = ThreadBuilder("worker").spawn([] { return 42; }).take();
///   int code = h.join();   // 42
/// ```
///
/// A thread ends when its function returns (the value is its exit code), when it calls
/// Current::exit(code), or when it is killed (exit code -1; see kill()). Its stack and task
/// are released only after its CPU has switched away from it, once no JoinHandle remains.
///
/// Kernel stacks are kKernelStackSize bytes with an unmapped guard region below them, so an
/// overflow faults instead of corrupting memory; the panic report names the thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <utility>

#include <abyss/percpu.hpp>
#include <keos/box.hpp>
#include <keos/result.hpp>
#include <keos/task.hpp>

namespace keos {

/// A thread's id: unique for the whole boot, never reused.
using ThreadId = std::uint64_t;
class Teletype;

/// The size of each thread's kernel stack (a guard region lies below it).
inline constexpr std::size_t kKernelStackSize = 32 * 1024;
/// The exit code of a killed thread.
inline constexpr int kKilledExitCode = -1;

class Thread;

/// Owns a reference to a spawned thread; join() waits for it and returns its exit code.
class JoinHandle {
 public:
  /// Takes over one reference to `thread` (the thread code makes handles).
  explicit JoinHandle(Thread* thread) : thread_(thread) {}
  /// Takes over `other`'s reference; `other` is left empty.
  JoinHandle(JoinHandle&& other) : thread_(other.thread_) { other.thread_ = nullptr; }
  JoinHandle(const JoinHandle&) = delete;
  JoinHandle& operator=(const JoinHandle&) = delete;
  JoinHandle& operator=(JoinHandle&&) = delete;
  /// Dropping a handle without join() detaches the thread.
  ~JoinHandle();

  /// Blocks until the thread has exited; returns its exit code. Once only.
  int join();
  /// The thread's id.
  ThreadId id() const;

 private:
  Thread* thread_;
};

/// Where a new thread may run.
enum class Affinity { kAnyCpu, kPinned };
/// The FPU/SSE registers a new thread starts with: a clean state, or a copy of the
/// creator's (a forked process continues with its parent's).
enum class FpuState { kClean, kInherit };

/// Describes a thread to create; spawn() creates it. Each setter returns the builder, so
/// calls chain: `ThreadBuilder("t").pin_to_cpu(1).spawn(fn)`.
class ThreadBuilder {
 public:
  /// A thread called `name` (a string that outlives the thread, e.g. a literal), with no
  /// task, runnable on any CPU, with a clean FPU state.
  explicit ThreadBuilder(const char* name) : name_(name) {}

  /// Gives the thread a task: it will run with the task's page table, and the thread
  /// destroys the task when it has finished.
  ThreadBuilder& attach_task(Box<Task> task) {
    task_ = std::move(task);
    return *this;
  }
  /// Runs the thread only on CPU `cpu` (for tests that need a particular CPU).
  ThreadBuilder& pin_to_cpu(std::uint32_t cpu) {
    affinity_ = Affinity::kPinned;
    cpu_ = cpu;
    return *this;
  }

  /// Starts the thread with a copy of the caller's FPU/SSE registers.
  ThreadBuilder& inherit_fpu_state() {
    fpu_ = FpuState::kInherit;
    return *this;
  }

  /// Starts a thread running `fn()`, whose int result is the exit code (0 if it returns
  /// nothing). On error (out of
  /// memory) nothing is started and the attached task is destroyed.
  template <class Fn>
  Result<JoinHandle> spawn(Fn fn) {
    Box<Closure<Fn>> closure = TRY(Box<Closure<Fn>>::create(std::move(fn)));
    return spawn_raw(&Closure<Fn>::run, closure.release(), &Closure<Fn>::destroy);
  }

 private:
  template <class Fn>
  struct Closure {
    explicit Closure(Fn&& f) : fn(std::move(f)) {}
    static int run(void* self) {
      Fn& fn = static_cast<Closure*>(self)->fn;
      if constexpr (std::is_void_v<decltype(fn())>) {
        fn();
        return 0;
      } else {
        return fn();
      }
    }
    static void destroy(void* self) { delete static_cast<Closure*>(self); }
    Fn fn;
  };
  Result<JoinHandle> spawn_raw(int (*run)(void*), void* arg, void (*destroy)(void*));

  const char* name_;
  Box<Task> task_;  // handed to the thread by spawn(); destroyed with the builder otherwise
  Affinity affinity_ = Affinity::kAnyCpu;
  std::uint32_t cpu_ = 0;
  FpuState fpu_ = FpuState::kClean;
};

namespace detail {
/// The part of every thread's record that the paths from user mode read on each entry
/// (the rest is private to keos/src/thread). The per-CPU record points at the running
/// thread's, so Current::task() and Current::killed() are a load or two.
struct ThreadHead {
  Task* task = nullptr;             ///< owned; nullptr for a kernel thread
  std::atomic<bool> killed{false};  ///< set by kill()
};
/// The running thread's head (the scheduler keeps abyss::Cpu::current_thread on it);
/// nullptr before the scheduler runs on this CPU.
inline ThreadHead* running_thread() { return static_cast<ThreadHead*>(abyss::current_thread()); }
}  // namespace detail

/// The running thread.
class Current {
 public:
  /// Ends the running thread with exit `code`; never returns.
  [[noreturn]] static void exit(int code);
  /// The running thread's id.
  static ThreadId id();
  /// The running thread's name.
  static const char* name();
  /// The running thread's task, or nullptr for a kernel thread.
  static Task* task() { return detail::running_thread()->task; }
  /// True if kill() was called on the running thread.
  static bool killed() { return detail::running_thread()->killed.load(); }
  /// Blocks until unpark() is called on this thread (returns at once if it already was
  /// since the last park). May also return early if the thread is killed.
  static void park();
  /// Gives the CPU to another runnable thread, if any.
  static void yield();
  /// The running thread's teletype (inherited from its creator; at boot, the console's).
  static Teletype& teletype();
  /// Gives the running thread `tty` (taking over the caller's reference; nullptr: the
  /// console's) and returns the previous one (its reference passes to the caller).
  static Teletype* replace_teletype(Teletype* tty);
};

/// Makes a parked thread runnable (or lets its next park() return at once).
void unpark(ThreadId id);
/// Asks thread `id` to end with exit code -1: at its next return to user mode, or when
/// it next parks or waits. kNoSuchEntry if no such live thread.
Result<void> kill(ThreadId id);
/// Kills every live thread with a task (a user process) that uses teletype `tty`, except
/// the caller: what a hang-up does to a terminal's processes. Kernel threads on `tty` (a
/// test harness waiting for its program) go on. Returns how many were asked to end.
std::size_t hang_up(const Teletype* tty);

/// Calls fn(Thread&)-style access to the running thread's task: fn(Task*).
template <class Fn>
auto with_current(Fn fn) {
  return fn(Current::task());
}

}  // namespace keos
