#include <abyss/trap.hpp>

#include <atomic>

#include <abyss/apic.hpp>
#include <abyss/cpu.hpp>
#include <abyss/panic.hpp>
#include <abyss/percpu.hpp>

namespace abyss {
namespace {

std::atomic<InterruptHandler> g_handlers[256];
std::atomic<UserExceptionHook> g_user_hook{nullptr};
std::atomic<KernelFaultHook> g_kernel_hook{nullptr};

constexpr const char* kExceptionNames[kExceptionCount] = {
    "divide error",
    "debug",
    "non-maskable interrupt",
    "breakpoint",
    "overflow",
    "bound range exceeded",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor segment overrun",
    "invalid TSS",
    "segment not present",
    "stack-segment fault",
    "general protection fault",
    "page fault",
    "reserved (15)",
    "x87 floating-point error",
    "alignment check",
    "machine check",
    "SIMD floating-point error",
    "virtualization exception",
    "control protection exception",
    "reserved (22)",
    "reserved (23)",
    "reserved (24)",
    "reserved (25)",
    "reserved (26)",
    "reserved (27)",
    "hypervisor injection",
    "VMM communication",
    "security exception",
    "reserved (31)",
};

void handle_exception(TrapFrame& frame) {
  auto vector = static_cast<Vector>(frame.vector);
  if (vector == Vector::kNmi && panicking()) cpu::halt_forever();  // stopped by a panic
  // A double fault or machine check cannot be resumed, whoever caused it.
  bool fatal = vector == Vector::kDoubleFault || vector == Vector::kMachineCheck;
  if (frame.from_user() && !fatal) {
    if (UserExceptionHook hook = g_user_hook.load(std::memory_order_acquire)) {
      hook(frame);
      return;
    }
  } else if (!fatal) {
    if (KernelFaultHook hook = g_kernel_hook.load(std::memory_order_acquire)) {
      if (hook(frame)) return;
    }
  }
  const char* mode = frame.from_user() ? "user" : "kernel";
  if (vector == Vector::kPageFault) {
    panic_trap(frame, "page fault in %s mode at address 0x%016lx", mode, cpu::read_cr2());
  }
  panic_trap(frame, "%s in %s mode", vector_name(frame.vector), mode);
}

}  // namespace

const char* vector_name(std::uint64_t vector) {
  return vector < kExceptionCount ? kExceptionNames[vector] : "interrupt";
}

void register_interrupt(Vector vector, InterruptHandler handler) {
  KASSERT(static_cast<std::uint64_t>(vector) >= kExceptionCount);
  g_handlers[static_cast<std::uint8_t>(vector)].store(handler, std::memory_order_release);
}

void set_user_exception_hook(UserExceptionHook hook) {
  g_user_hook.store(hook, std::memory_order_release);
}

void set_kernel_fault_hook(KernelFaultHook hook) {
  g_kernel_hook.store(hook, std::memory_order_release);
}

}  // namespace abyss

namespace abyss {
namespace {

// Every trap but the user page faults that abyss_trap_dispatch passes on directly.
[[gnu::noinline]] void dispatch(TrapFrame& frame) {
  if (frame.vector < kExceptionCount) {
    handle_exception(frame);
    return;
  }
  auto vector = static_cast<Vector>(frame.vector);
  if (vector == Vector::kSpurious) return;  // no EOI for spurious interrupts
  if (static_cast<std::uint8_t>(vector) >= static_cast<std::uint8_t>(Vector::kLegacyPicBase) &&
      static_cast<std::uint8_t>(vector) < static_cast<std::uint8_t>(Vector::kLegacyPicBase) + 16) {
    return;  // a spurious IRQ from the masked 8259s: nothing to acknowledge at the LAPIC
  }
  // Acknowledge first: a handler may switch to another thread and return much later.
  apic::eoi();
  InterruptHandler handler = g_handlers[frame.vector].load(std::memory_order_acquire);
  if (handler == nullptr) panic_trap(frame, "unexpected interrupt, vector 0x%lx", frame.vector);
  handler(frame);
}

}  // namespace
}  // namespace abyss

extern "C" void abyss_trap_dispatch(abyss::TrapFrame* frame) {
  using namespace abyss;
  // The most frequent trap, a user page fault (lazy paging, copy-on-write), goes straight
  // to the kernel's hook (handle_exception would pass it there too, after more checks).
  if (frame->vector == static_cast<std::uint64_t>(Vector::kPageFault) && frame->from_user()) {
    if (UserExceptionHook hook = g_user_hook.load(std::memory_order_acquire)) {
      hook(*frame);
      return;
    }
  }
  dispatch(*frame);
}
