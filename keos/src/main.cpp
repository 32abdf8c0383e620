// The kernel layer's start: memory, the other CPUs, then the work the command line asks
// for (for now: the in-kernel tests).
#include <abyss/boot.hpp>
#include <abyss/console.hpp>
#include <abyss/cpu.hpp>
#include <abyss/percpu.hpp>
#include <abyss/smp.hpp>
#include <abyss/time.hpp>
#include <keos/mm/frame_alloc.hpp>
#include <keos/mm/page_table.hpp>
#include <keos/mm/tlb.hpp>
#include <keos/syscall/registers.hpp>
#include <keos/syscall/uaccess.hpp>
#include <keos/thread/thread.hpp>

#include "thread/thread_internal.hpp"
#include <keos/test.hpp>

namespace {

// Stacks live for the whole run: blocks straight from the frame allocator.
void* alloc_boot_stack(std::size_t bytes) {
  unsigned order = 0;
  while ((keos::kPageSize << order) < bytes) ++order;
  keos::Result<keos::Pa> block = keos::mm::alloc_frames(order, keos::mm::FrameUsage::kStack);
  return block.is_ok() ? keos::phys_ptr(block.value()) : nullptr;
}

[[noreturn]] void ap_main() {
  keos::init_user_mode_this_cpu();
  keos::sched::run_ap(abyss::this_cpu().kernel_stack_top);
}

int run_tests() { keos::test::run_from_cmdline(abyss::kernel_cmdline()); }

}  // namespace

void kernel_main() {
  keos::mm::init_frame_allocator();
  keos::tlb::init();
  if (keos::kernel_vm::init().is_err() || keos::KernelStack::fill_pool().is_err()) {
    abyss::panic("no memory for kernel stacks");
  }
  keos::sched::init_bsp(abyss::this_cpu().kernel_stack_top);
  abyss::set_kernel_fault_hook(keos::handle_kernel_fault);
  keos::init_user_mode();
  keos::init_user_mode_this_cpu();
  abyss::smp::start_aps(alloc_boot_stack, ap_main);
  abyss::time::start_timer_this_cpu();
  keos::sched::wait_until_all_cpus_ready();
  abyss::console::line("@@ boot cpus=%u ms=%lu", abyss::cpu_count(),
                       abyss::time::now_ns() / 1'000'000);
  if (keos::ThreadBuilder("ktest").spawn(run_tests).is_err()) {
    abyss::panic("cannot start the test thread");
  }
  keos::sched::idle_loop();
}
