// Kernel stacks in kernel_vm: slot i covers [kBase + i * kSlotSize, + kSlotSize); its top
// kKernelStackSize bytes are mapped, the rest below stays unmapped as a guard, so running
// off the bottom of a stack faults (a double fault, handled on its own IST stack).
#include <abyss/spinlock.hpp>
#include <keos/mm/page_table.hpp>

#include "thread_internal.hpp"

namespace keos {
namespace {

constexpr std::uint64_t kSlotSize = 64 * 1024;
constexpr std::uint32_t kSlots = 8192;
static_assert(kKernelStackSize < kSlotSize && kKernelStackSize % kPageSize == 0);

abyss::SpinLock g_slots_lock;  // guards g_used
std::uint64_t g_used[kSlots / 64];

Result<std::uint32_t> take_slot() {
  abyss::SpinLockGuard guard(g_slots_lock);
  for (std::uint32_t w = 0; w < kSlots / 64; ++w) {
    if (g_used[w] == ~0ull) continue;
    std::uint32_t bit = __builtin_ctzll(~g_used[w]);
    g_used[w] |= 1ull << bit;
    return w * 64 + bit;
  }
  return Err(KernelError::kNoMemory);
}

void give_slot(std::uint32_t slot) {
  abyss::SpinLockGuard guard(g_slots_lock);
  g_used[slot / 64] &= ~(1ull << (slot % 64));
}

std::uint64_t slot_base(std::uint32_t slot) { return kernel_vm::kBase + slot * kSlotSize; }

// Freed stacks wait here, still mapped, for the next thread: unmapping a kernel stack
// costs a shootdown on every CPU. The pool is filled at boot, and a freed stack joins it
// only while no more than kPoolSize stacks are mapped in all: so however many threads a
// test ran at once, the frames held by stacks (pooled or in use) afterwards are what they
// were before, and free-frame counts before and after a test agree.
constexpr std::uint32_t kPoolSize = 32;
abyss::SpinLock g_pool_lock;  // guards g_pool, g_pooled and g_mapped
std::uint32_t g_pool[kPoolSize];
std::uint32_t g_pooled = 0;
std::uint32_t g_mapped = 0;  // stacks mapped: pooled or in use

std::uint32_t slot_of(Va bottom) {
  return static_cast<std::uint32_t>((bottom.value() - kernel_vm::kBase) / kSlotSize);
}

KernelStack stack_in(std::uint32_t slot) {
  Va top(slot_base(slot) + kSlotSize);
  return KernelStack{top - kKernelStackSize, top};
}

Result<KernelStack> map_new_stack() {
  std::uint32_t slot = TRY(take_slot());
  KernelStack stack = stack_in(slot);
  for (std::uint64_t i = 0; i < kKernelStackSize / kPageSize; ++i) {
    Result<Page> page = Page::create();
    Result<void> mapped = page.is_ok()
                              ? kernel_vm::map_page(stack.bottom + i * kPageSize, page.take())
                              : Err(page.error());
    if (mapped.is_err()) {
      kernel_vm::unmap_pages(stack.bottom, i);
      give_slot(slot);
      return Err(mapped.error());
    }
  }
  return stack;
}

}  // namespace

Result<KernelStack> KernelStack::create() {
  {
    abyss::SpinLockGuard guard(g_pool_lock);
    if (g_pooled != 0) return stack_in(g_pool[--g_pooled]);
  }
  KernelStack stack = TRY(map_new_stack());
  abyss::SpinLockGuard guard(g_pool_lock);
  ++g_mapped;
  return stack;
}

void KernelStack::release() {
  if (bottom.value() == 0) return;  // a boot stack
  std::uint32_t slot = slot_of(bottom);
  bottom = top = Va(0);
  {
    abyss::SpinLockGuard guard(g_pool_lock);
    if (g_mapped <= kPoolSize) {
      g_pool[g_pooled++] = slot;
      return;
    }
    --g_mapped;
  }
  KernelStack stack = stack_in(slot);
  kernel_vm::unmap_pages(stack.bottom, kKernelStackSize / kPageSize);
  give_slot(slot);
}

Result<void> KernelStack::fill_pool() {
  // The page tables of every slot exist from now on: a test that runs many threads at
  // once must not leave new page-table pages behind.
  TRY(kernel_vm::prepare_tables(Va(kernel_vm::kBase), std::uint64_t{kSlots} * kSlotSize));
  for (std::uint32_t i = 0; i < kPoolSize; ++i) {
    KernelStack stack = TRY(map_new_stack());
    abyss::SpinLockGuard guard(g_pool_lock);
    ++g_mapped;
    g_pool[g_pooled++] = slot_of(stack.bottom);
  }
  return Ok();
}

bool KernelStack::in_guard(std::uint64_t address) const {
  if (bottom.value() == 0) return false;
  std::uint64_t slot_start = (bottom.value() - kernel_vm::kBase) / kSlotSize * kSlotSize +
                             kernel_vm::kBase;
  return address >= slot_start && address < bottom.value();
}

}  // namespace keos

namespace keos::sched {

Result<void> init_stacks() { return KernelStack::fill_pool(); }

}  // namespace keos::sched
