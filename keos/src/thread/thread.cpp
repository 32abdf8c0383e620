// Thread creation, handles, the running thread's API, and the registry of live threads.
#include <keos/thread/thread.hpp>

#include <atomic>

#include <abyss/format.hpp>
#include <abyss/spinlock.hpp>
#include <abyss/string.hpp>
#include <keos/teletype.hpp>

#include "thread_internal.hpp"

extern "C" void keos_thread_start();

namespace keos {
namespace {

std::atomic<ThreadId> g_next_id{1};
abyss::SpinLock g_registry_lock;  // guards the registry list
Thread* g_registry = nullptr;

// Lays out a new thread's stack so that the first switch to it "returns" into
// keos_thread_start with the Thread* in rbx (see thread/switch.asm).
void prepare_stack(Thread* t) {
  std::uint64_t top = (t->stack.top.value() & ~0xfull) - 16;  // 16 spare bytes, aligned
  auto* frame = reinterpret_cast<std::uint64_t*>(top - 56);
  frame[0] = 0;                                                    // r15
  frame[1] = 0;                                                    // r14
  frame[2] = 0;                                                    // r13
  frame[3] = 0;                                                    // r12
  frame[4] = reinterpret_cast<std::uint64_t>(t);                   // rbx
  frame[5] = 0;                                                    // rbp: ends backtraces
  frame[6] = reinterpret_cast<std::uint64_t>(&keos_thread_start);  // return address
  t->saved_rsp = reinterpret_cast<std::uint64_t>(frame);
}

// The console's teletype, for threads that have none of their own. Made at boot: made on
// first use, it appeared inside whichever test first wrote to standard output, as a heap
// object (and at times a fresh slab frame) outliving the test, a leak to the test's frame
// count; and two CPUs could have raced to make it.
Teletype* g_console_tty = nullptr;

}  // namespace

void Thread::release_resources() {
  stack.release();
  delete task;
  task = nullptr;
  if (destroy_arg != nullptr) destroy_arg(arg);
  destroy_arg = nullptr;
}

void Thread::drop_ref() {
  if (refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  sched::unregister_thread(this);
  release_resources();  // a thread that never ran (nothing else released them)
  // The teletype goes last: whoever waits for its users to be gone (a test counting free
  // frames) then finds everything of this thread released, its record included.
  Teletype* last_tty = tty;
  delete this;
  if (last_tty != nullptr) last_tty->unref();
}

Result<JoinHandle> ThreadBuilder::spawn_raw(int (*run)(void*), void* arg, void (*destroy)(void*)) {
  auto* t = new (std::nothrow) Thread;
  Result<KernelStack> stack = t != nullptr ? KernelStack::create() : Err(KernelError::kNoMemory);
  if (stack.is_err()) {
    delete t;
    destroy(arg);
    return Err(stack.error());
  }
  t->id = g_next_id.fetch_add(1);
  abyss::format(t->name, sizeof t->name, "%s", name_);
  t->stack = stack.value();
  t->task = task_.release();  // the thread's now: release_resources() deletes it
  t->tty = sched::current()->tty;
  if (t->tty != nullptr) t->tty->ref();
  t->run = run;
  t->arg = arg;
  t->destroy_arg = destroy;
  t->affinity = affinity_;
  t->cpu = cpu_;
  t->refs.store(2);  // the scheduler's and the handle's
  if (fpu_ == FpuState::kInherit) {
    // The caller's registers are live on this CPU (the kernel itself never touches them).
    asm volatile("fxsave64 %0" : "=m"(t->fpu));
  } else {
    memcpy(t->fpu, sched::initial_fpu_state(), sizeof t->fpu);
  }
  prepare_stack(t);
  sched::register_thread(t);
  sched::make_runnable(t);
  return JoinHandle(t);
}

JoinHandle::~JoinHandle() {
  if (thread_ != nullptr) thread_->drop_ref();
}

int JoinHandle::join() {
  KASSERT(thread_ != nullptr);
  Thread* t = thread_;
  t->joiner.store(sched::current());
  while (t->state.load(std::memory_order_acquire) != ThreadState::kExited) sched::park_current();
  // The scheduler drops its reference right after publishing kExited; wait for that, so
  // this handle's reference is the last and everything is freed before join() returns.
  while (t->refs.load(std::memory_order_acquire) > 1) abyss::cpu_relax();
  int code = t->exit_code;
  thread_ = nullptr;
  t->drop_ref();
  return code;
}

ThreadId JoinHandle::id() const { return thread_ != nullptr ? thread_->id : 0; }

void Current::exit(int code) { sched::exit_current(code); }
ThreadId Current::id() { return sched::current()->id; }
const char* Current::name() { return sched::current()->name; }
void Current::park() { sched::park_current(); }
void Current::yield() { sched::yield(); }

Teletype& Current::teletype() {
  Thread* me = sched::current();
  return me->tty != nullptr ? *me->tty : *g_console_tty;
}

Teletype* Current::replace_teletype(Teletype* tty) {
  Thread* me = sched::current();
  Teletype* previous = me->tty;
  me->tty = tty;
  return previous;
}

void unpark(ThreadId id) {
  if (Thread* t = sched::find_thread(id)) {
    sched::unpark(t);
    t->drop_ref();
  }
}

Result<void> kill(ThreadId id) {
  Thread* t = sched::find_thread(id);
  if (t == nullptr) return Err(KernelError::kNoSuchEntry);
  t->killed.store(true);
  sched::unpark(t);
  t->drop_ref();
  return Ok();
}

std::size_t hang_up(const Teletype* tty) {
  constexpr std::size_t kBatch = 32;
  std::size_t total = 0;
  for (;;) {
    ThreadId ids[kBatch];
    std::size_t n = 0;
    {
      abyss::SpinLockGuard guard(g_registry_lock);
      for (Thread* t = g_registry; t != nullptr && n < kBatch; t = t->next_all) {
        if (t->tty == tty && t->task != nullptr && t != sched::current() && !t->killed.load() &&
            t->state.load() != ThreadState::kExited) {
          ids[n++] = t->id;
        }
      }
    }
    if (n == 0) return total;
    for (std::size_t i = 0; i < n; ++i) {
      if (Thread* t = sched::find_thread(ids[i])) {
        t->killed.store(true);
        sched::unpark(t);
        t->drop_ref();
        ++total;
      }
    }
  }
}

namespace sched {

void init_console_teletype() {
  g_console_tty = Teletype::create(nullptr, 0, Echo::kYes);
  if (g_console_tty == nullptr) abyss::panic("no memory for the console teletype");
}

void register_thread(Thread* t) {
  abyss::SpinLockGuard guard(g_registry_lock);
  t->prev_all = nullptr;
  t->next_all = g_registry;
  if (g_registry != nullptr) g_registry->prev_all = t;
  g_registry = t;
}

void unregister_thread(Thread* t) {
  abyss::SpinLockGuard guard(g_registry_lock);
  (t->prev_all != nullptr ? t->prev_all->next_all : g_registry) = t->next_all;
  if (t->next_all != nullptr) t->next_all->prev_all = t->prev_all;
}

Thread* find_thread(ThreadId id) {
  abyss::SpinLockGuard guard(g_registry_lock);
  for (Thread* t = g_registry; t != nullptr; t = t->next_all) {
    if (t->id != id || t->state.load() == ThreadState::kExited) continue;
    // Take a reference only if the thread is not already being destroyed.
    int refs = t->refs.load();
    while (refs > 0 && !t->refs.compare_exchange_weak(refs, refs + 1)) {
    }
    return refs > 0 ? t : nullptr;
  }
  return nullptr;
}

}  // namespace sched
}  // namespace keos
