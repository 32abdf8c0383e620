// The scheduler: one run queue for all CPUs, round robin, preemption by the timer.
//
// One lock guards the run queue, every thread's state and each CPU's current/previous
// thread. A switch happens with that lock held; the thread that runs next releases it
// (finish_switch), so no other CPU can pick up the previous thread while its stack is
// still in use. An exited thread is handed over in finish_switch too: only then, once its
// CPU runs on another stack and another address space, can it be destroyed.
#include <atomic>

#include <abyss/console.hpp>
#include <abyss/cpu.hpp>
#include <abyss/format.hpp>
#include <abyss/gdt.hpp>
#include <abyss/panic.hpp>
#include <abyss/percpu.hpp>
#include <abyss/smp.hpp>
#include <abyss/spinlock.hpp>
#include <abyss/time.hpp>
#include <keos/mm/page_table.hpp>

#include "thread_internal.hpp"

extern "C" void keos_context_switch(std::uint64_t* save_rsp, std::uint64_t next_rsp);

namespace keos::sched {
namespace {

constexpr std::uint32_t kQuantumTicks = 2;

// The running thread is abyss::Cpu::current_thread (see set_current).
struct alignas(64) CpuSched {
  Thread* idle = nullptr;
  Thread* previous = nullptr;  // the thread this CPU just switched away from
  std::uint32_t slice = 0;     // ticks the current thread has run
};

abyss::SpinLock g_lock;  // guards the run queue, thread states, each CPU's current/previous
Thread* g_head = nullptr;
Thread* g_tail = nullptr;
CpuSched g_cpus[abyss::kMaxCpus];
std::atomic<std::uint64_t> g_idle_cpus{0};
std::atomic<std::uint32_t> g_cpus_ready{0};  // CPUs whose idle thread exists
alignas(16) std::uint8_t g_initial_fpu[512];

CpuSched& here() { return g_cpus[abyss::cpu_id()]; }

// Makes `t` this CPU's running thread. Written through this_cpu(), not read back through
// current(): that one may reuse an earlier read (see abyss::current_thread).
void set_current(Thread* t) {
  abyss::this_cpu().current_thread = static_cast<detail::ThreadHead*>(t);
}

void enqueue_locked(Thread* t) {
  t->next_runnable = nullptr;
  if (g_tail == nullptr) {
    g_head = g_tail = t;
  } else {
    g_tail->next_runnable = t;
    g_tail = t;
  }
}

bool allowed_on(const Thread* t, std::uint32_t cpu) {
  return t->affinity != Affinity::kPinned || t->cpu == cpu;
}

// True if a queued thread may run on `cpu`.
bool runnable_on_locked(std::uint32_t cpu) {
  for (Thread* t = g_head; t != nullptr; t = t->next_runnable) {
    if (allowed_on(t, cpu)) return true;
  }
  return false;
}

// The first queued thread allowed on `cpu`, unlinked; nullptr if none.
Thread* dequeue_locked(std::uint32_t cpu) {
  Thread* prev = nullptr;
  for (Thread* t = g_head; t != nullptr; prev = t, t = t->next_runnable) {
    if (!allowed_on(t, cpu)) continue;
    (prev == nullptr ? g_head : prev->next_runnable) = t->next_runnable;
    if (g_tail == t) g_tail = prev;
    t->next_runnable = nullptr;
    return t;
  }
  return nullptr;
}

// Wakes an idle CPU that may run `t` (it would otherwise notice only at its next tick).
void kick_idle_cpu(const Thread* t) {
  std::uint64_t idle = g_idle_cpus.load(std::memory_order_acquire);
  if (t->affinity == Affinity::kPinned) idle &= 1ull << t->cpu;
  idle &= ~(1ull << abyss::cpu_id());
  if (idle != 0) abyss::send_ipi(__builtin_ctzll(idle), abyss::Vector::kReschedule);
}

void load_context(Thread* next) {
  if (next->task != nullptr) {
    next->task->page_table().activate();
  } else {
    PageTable::activate_kernel();
  }
  abyss::set_kernel_stack(next->stack.top.value());
}

// Picks the next thread and switches to it. Called with g_lock held and interrupts off;
// returns (lock released) when the calling thread runs again.
void switch_locked() {
  CpuSched& c = here();
  Thread* cur = current();
  if (cur->state.load() == ThreadState::kRunning) {
    cur->state.store(ThreadState::kRunnable);
    if (cur != c.idle) enqueue_locked(cur);
  }
  std::uint32_t me = abyss::cpu_id();
  Thread* next = dequeue_locked(me);
  if (next == nullptr) next = c.idle;
  next->state.store(ThreadState::kRunning);
  c.slice = 0;
  if (next == c.idle) {
    g_idle_cpus.fetch_or(1ull << me);
  } else {
    g_idle_cpus.fetch_and(~(1ull << me));
  }
  if (next == cur) {
    g_lock.unlock();
    return;
  }
  c.previous = cur;
  set_current(next);
  load_context(next);
  asm volatile("fxsave64 %0" : "=m"(cur->fpu));
  asm volatile("fxrstor64 %0" ::"m"(next->fpu));
  keos_context_switch(&cur->saved_rsp, next->saved_rsp);
  finish_switch();
}

void lock_and_switch() {
  abyss::cpu::InterruptGuard irq;
  g_lock.lock();
  switch_locked();
}

void on_tick(abyss::TrapFrame& frame) {
  CpuSched& c = here();
  Thread* cur = current();
  if (cur == nullptr) return;  // before the scheduler runs on this CPU
  if (frame.from_user() && cur->killed.load()) exit_current(kKilledExitCode);
  if (cur == c.idle || ++c.slice >= kQuantumTicks) lock_and_switch();
}

void on_reschedule(abyss::TrapFrame&) {
  Thread* cur = current();
  if (cur != nullptr && cur == here().idle) lock_and_switch();
}

// Turns the running boot context of this CPU into its idle thread.
void adopt_boot_context(std::uint64_t boot_stack_top) {
  auto* idle = new Thread;
  idle->id = 0;
  abyss::format(idle->name, sizeof idle->name, "idle%u", abyss::cpu_id());
  idle->state.store(ThreadState::kRunning);
  idle->stack.top = Va(boot_stack_top);
  idle->refs.store(1);
  idle->affinity = Affinity::kPinned;
  idle->cpu = abyss::cpu_id();
  CpuSched& c = here();
  c.idle = idle;
  set_current(idle);
  g_cpus_ready.fetch_add(1, std::memory_order_release);
}

// Adds the running thread to a panic report, and says so when a fault hit a stack guard.
void describe_for_panic() {
  Thread* t = current();
  if (t == nullptr) return;
  abyss::console::line("  in thread '%s' (id %lu)", t->name, t->id);
  std::uint64_t cr2 = abyss::cpu::read_cr2();
  if (t->stack.in_guard(cr2)) {
    abyss::console::line(
        "  kernel stack overflow: 0x%016lx is in the guard below the stack of '%s'", cr2, t->name);
  }
}

}  // namespace

void finish_switch() {
  CpuSched& c = here();
  Thread* prev = c.previous;
  c.previous = nullptr;
  bool exited = prev != nullptr && prev->state.load() == ThreadState::kExiting;
  g_lock.unlock();
  if (!exited) return;
  // This CPU runs on another stack and another address space now: the thread's stack
  // and task can go. Then publish kExited, wake the joiner, drop the scheduler's
  // reference, and touch the thread no more.
  prev->release_resources();
  Thread* joiner = prev->joiner.load();
  prev->state.store(ThreadState::kExited, std::memory_order_release);
  if (joiner != nullptr) unpark(joiner);
  prev->drop_ref();
}

void init_bsp(std::uint64_t boot_stack_top) {
  asm volatile("fninit; fxsave64 %0" : "=m"(g_initial_fpu));
  init_console_teletype();
  adopt_boot_context(boot_stack_top);
  abyss::register_interrupt(abyss::Vector::kReschedule, on_reschedule);
  abyss::time::set_tick_hook(on_tick);
  abyss::set_panic_hook(describe_for_panic);
}

void run_ap(std::uint64_t boot_stack_top) {
  asm volatile("fninit");
  adopt_boot_context(boot_stack_top);
  idle_loop();
}

void idle_loop() {
  for (;;) {
    lock_and_switch();
    // Coming back here can wake a thread: finish_switch hands over an exited thread, and
    // its joiner (or the reader of a pipe it held) becomes runnable, with no IPI since
    // this CPU is the one waking it. So look at the queue before halting, with interrupts
    // off until the hlt (sti takes effect only after it): an IPI from a CPU that queues
    // a thread after the look still ends the halt.
    abyss::cpu::disable_interrupts();
    g_lock.lock();
    bool work = runnable_on_locked(abyss::cpu_id());
    g_lock.unlock();
    if (work) {
      abyss::cpu::enable_interrupts();
    } else {
      abyss::cpu::enable_interrupts_and_halt();
    }
  }
}

void wait_until_all_cpus_ready() {
  while (g_cpus_ready.load(std::memory_order_acquire) < abyss::cpu_count()) abyss::cpu_relax();
}

const std::uint8_t* initial_fpu_state() { return g_initial_fpu; }

void make_runnable(Thread* t) {
  {
    abyss::SpinLockGuard guard(g_lock);
    t->state.store(ThreadState::kRunnable);
    enqueue_locked(t);
  }
  kick_idle_cpu(t);
}

void park_current() {
  abyss::cpu::InterruptGuard irq;
  g_lock.lock();
  Thread* cur = current();
  if (cur->unpark_token.exchange(false) || cur->killed.load()) {
    g_lock.unlock();
    return;
  }
  cur->state.store(ThreadState::kBlocked);
  switch_locked();
  cur->unpark_token.store(false);
}

void unpark(Thread* t) {
  bool woke = false;
  {
    abyss::SpinLockGuard guard(g_lock);
    t->unpark_token.store(true);
    if (t->state.load() == ThreadState::kBlocked) {
      t->state.store(ThreadState::kRunnable);
      enqueue_locked(t);
      woke = true;
    }
  }
  if (woke) kick_idle_cpu(t);
}

void exit_current(int code) {
  abyss::cpu::disable_interrupts();
  g_lock.lock();
  Thread* cur = current();
  KASSERT(cur != here().idle);
  cur->exit_code = code;
  cur->state.store(ThreadState::kExiting);
  switch_locked();
  abyss::panic("exited thread %lu was scheduled again", cur->id);
}

void yield() { lock_and_switch(); }

}  // namespace keos::sched

extern "C" [[noreturn]] void keos_thread_entry(keos::Thread* self) {
  keos::sched::finish_switch();
  abyss::cpu::enable_interrupts();
  int code = self->run(self->arg);
  keos::sched::exit_current(code);
}
