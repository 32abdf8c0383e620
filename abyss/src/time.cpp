#include <abyss/time.hpp>

#include <atomic>

#include <abyss/apic.hpp>
#include <abyss/cpu.hpp>
#include <abyss/percpu.hpp>

namespace abyss::time {
namespace {

constexpr std::uint64_t kPitHz = 1193182;
constexpr std::uint32_t kCalibrationMs = 10;

std::uint64_t g_tsc_hz = 1'000'000'000;  // a guess until calibrated
std::uint64_t g_lapic_hz = 0;
std::atomic<TickHook> g_tick_hook{nullptr};

void on_tick(TrapFrame& frame) {
  this_cpu().timer_ticks.fetch_add(1, std::memory_order_relaxed);
  if (TickHook hook = g_tick_hook.load(std::memory_order_acquire)) hook(frame);
}

}  // namespace

void calibrate() {
  // PIT channel 2, mode 0 (output goes high at terminal count), gate through port 0x61.
  constexpr std::uint16_t kCount = kPitHz * kCalibrationMs / 1000;
  std::uint8_t port61 = cpu::inb(0x61);
  cpu::outb(0x61, static_cast<std::uint8_t>((port61 & ~0x02) & ~0x01));  // gate low
  cpu::outb(0x43, 0xb0);
  cpu::outb(0x42, kCount & 0xff);
  cpu::outb(0x42, kCount >> 8);

  apic::timer_start_one_shot_masked(0xffffffff);
  std::uint64_t tsc_start = cpu::rdtsc();
  std::uint32_t lapic_start = apic::timer_current_count();
  cpu::outb(0x61, static_cast<std::uint8_t>((port61 & ~0x02) | 0x01));  // gate high: go
  while (!(cpu::inb(0x61) & 0x20)) {
  }
  std::uint64_t tsc_end = cpu::rdtsc();
  std::uint32_t lapic_end = apic::timer_current_count();
  apic::timer_stop();
  cpu::outb(0x61, port61);

  g_tsc_hz = (tsc_end - tsc_start) * 1000 / kCalibrationMs;
  g_lapic_hz = static_cast<std::uint64_t>(lapic_start - lapic_end) * 1000 / kCalibrationMs;
  register_interrupt(Vector::kTimer, on_tick);
}

std::uint64_t tsc_hz() { return g_tsc_hz; }
std::uint64_t lapic_timer_hz() { return g_lapic_hz; }

std::uint64_t now_ns() {
  // Split so the product cannot overflow (and no 128-bit division helper is needed).
  std::uint64_t t = cpu::rdtsc();
  return t / g_tsc_hz * 1'000'000'000 + t % g_tsc_hz * 1'000'000'000 / g_tsc_hz;
}

void delay_us(std::uint64_t us) {
  std::uint64_t end = cpu::rdtsc() + us * g_tsc_hz / 1'000'000;
  while (cpu::rdtsc() < end) cpu::pause();
}

void start_timer_this_cpu() {
  std::uint64_t count = g_lapic_hz / kTimerHz;
  if (count == 0) count = 1;
  if (count > 0xffffffff) count = 0xffffffff;
  apic::timer_start_periodic(static_cast<std::uint8_t>(Vector::kTimer),
                             static_cast<std::uint32_t>(count));
}

void set_tick_hook(TickHook hook) { g_tick_hook.store(hook, std::memory_order_release); }

}  // namespace abyss::time
