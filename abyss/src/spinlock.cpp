#include <abyss/spinlock.hpp>

#include <abyss/panic.hpp>
#include <abyss/percpu.hpp>

namespace abyss {
namespace {
std::atomic<SpinHook> g_spin_hook{nullptr};
}

void set_spin_hook(SpinHook hook) { g_spin_hook.store(hook, std::memory_order_release); }

void cpu_relax() {
  cpu::pause();
  if (SpinHook hook = g_spin_hook.load(std::memory_order_acquire)) hook();
}

bool SpinLock::try_lock() {
  std::uint32_t expected = kFree;
  return owner_.compare_exchange_strong(expected, cpu_id(), std::memory_order_acquire,
                                        std::memory_order_relaxed);
}

void SpinLock::lock() {
  if (held_by_this_cpu()) panic("spinlock %p: recursive acquisition on cpu %u", this, cpu_id());
  while (!try_lock()) {
    while (is_locked()) cpu_relax();
  }
}

void SpinLock::unlock() {
  KASSERT(held_by_this_cpu());
  owner_.store(kFree, std::memory_order_release);
}

bool SpinLock::held_by_this_cpu() const {
  return owner_.load(std::memory_order_relaxed) == cpu_id();
}

}  // namespace abyss
