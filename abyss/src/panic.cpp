#include <abyss/panic.hpp>

#include <atomic>
#include <cstdarg>

#include <abyss/apic.hpp>
#include <abyss/backtrace.hpp>
#include <abyss/console.hpp>
#include <abyss/cpu.hpp>
#include <abyss/format.hpp>
#include <abyss/percpu.hpp>
#include <abyss/power.hpp>
#include <abyss/serial.hpp>
#include <abyss/string.hpp>

namespace abyss {
namespace {

constexpr std::uint32_t kNoCpu = 0xffffffff;
std::atomic<std::uint32_t> g_panic_cpu{kNoCpu};
std::atomic<PanicHook> g_panic_hook{nullptr};

// Claims the panic for this CPU. Another CPU's panic stops this one; a panic while
// panicking (the report itself faulted) powers off at once.
void claim_panic() {
  cpu::disable_interrupts();
  std::uint32_t expected = kNoCpu;
  std::uint32_t me = cpu_id();
  if (g_panic_cpu.compare_exchange_strong(expected, me)) return;
  if (expected == me) {
    const char msg[] = "\n@@ panic-end (nested panic)\n";
    serial::write(msg, sizeof msg - 1);
    power_off(ExitCode::kPanic);
  }
  cpu::halt_forever();
}

void stop_other_cpus() {
  if (cpu_count() > 1) apic::send_ipi(0, apic::Delivery::kNmi, 0, apic::Shorthand::kAllButSelf);
}

void print_header(const char* fmt, std::va_list args) {
  char message[400];
  vformat(message, sizeof message, fmt, args);
  console::line("@@ panic cpu=%u", cpu_id());
  console::line("KERNEL PANIC on cpu %u: %s", cpu_id(), message);
  if (PanicHook hook = g_panic_hook.load()) hook();
}

void print_page_fault_cause(std::uint64_t error) {
  console::line(
      "  cause: %s access, %s, from ring %d%s%s",
      error & kPfInstruction ? "instruction fetch" : (error & kPfWrite ? "write" : "read"),
      error & kPfPresent ? "protection violation" : "page not present", error & kPfUser ? 3 : 0,
      error & kPfReserved ? ", reserved bit set" : "", "");
}

void print_registers(const TrapFrame& f) {
  console::line("  vector %lu (%s), error code 0x%lx", f.vector, vector_name(f.vector),
                f.error_code);
  if (f.vector == static_cast<std::uint64_t>(Vector::kPageFault)) {
    console::line("  CR2 0x%016lx  (the faulting address)", cpu::read_cr2());
    print_page_fault_cause(f.error_code);
  }
  console::line("  RIP 0x%016lx  CS  0x%04lx  RFLAGS 0x%08lx", f.rip, f.cs, f.rflags);
  console::line("  RSP 0x%016lx  SS  0x%04lx  CR3    0x%016lx", f.rsp, f.ss, cpu::read_cr3());
  console::line("  RAX 0x%016lx  RBX 0x%016lx  RCX 0x%016lx", f.rax, f.rbx, f.rcx);
  console::line("  RDX 0x%016lx  RSI 0x%016lx  RDI 0x%016lx", f.rdx, f.rsi, f.rdi);
  console::line("  RBP 0x%016lx  R8  0x%016lx  R9  0x%016lx", f.rbp, f.r8, f.r9);
  console::line("  R10 0x%016lx  R11 0x%016lx  R12 0x%016lx", f.r10, f.r11, f.r12);
  console::line("  R13 0x%016lx  R14 0x%016lx  R15 0x%016lx", f.r13, f.r14, f.r15);
}

[[noreturn]] void finish() {
  console::line("@@ panic-end");
  power_off(ExitCode::kPanic);
}

}  // namespace

bool panicking() { return g_panic_cpu.load(std::memory_order_relaxed) != kNoCpu; }

void set_panic_hook(PanicHook hook) { g_panic_hook.store(hook); }

void panic(const char* fmt, ...) {
  claim_panic();
  stop_other_cpus();
  console::enter_panic_mode();
  std::va_list args;
  va_start(args, fmt);
  print_header(fmt, args);
  va_end(args);
  // Start at panic()'s caller: its return address and saved frame pointer.
  const auto* fp = static_cast<const std::uint64_t*>(__builtin_frame_address(0));
  print_backtrace(fp[1], fp[0], FirstFrame::kReturnAddress);
  finish();
}

void panic_trap(const TrapFrame& frame, const char* fmt, ...) {
  claim_panic();
  stop_other_cpus();
  console::enter_panic_mode();
  std::va_list args;
  va_start(args, fmt);
  print_header(fmt, args);
  va_end(args);
  print_registers(frame);
  if (frame.from_user()) {
    console::line("backtrace: (trap in user mode at 0x%016lx)", frame.rip);
  } else if (frame.vector == static_cast<std::uint64_t>(Vector::kDoubleFault)) {
    print_backtrace(frame.rip, frame.rbp, FirstFrame::kInstruction);  // RSP is suspect
  } else {
    print_trap_backtrace(frame.rip, frame.rsp, frame.rbp);
  }
  finish();
}

}  // namespace abyss
