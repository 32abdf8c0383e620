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

void SpinLock::lock_contended(std::uint32_t owner) {
  if (owner == cpu_id()) panic("spinlock %p: recursive acquisition on cpu %u", this, owner);
  do {
    while (is_locked()) cpu_relax();
  } while (!try_lock());
}

}  // namespace abyss
