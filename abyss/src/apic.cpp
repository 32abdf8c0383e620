#include <abyss/apic.hpp>

#include <abyss/cpu.hpp>
#include <abyss/trap.hpp>

namespace abyss::apic {
namespace {

enum Reg : std::uint32_t {
  kId = 0x20,
  kTpr = 0x80,
  kEoi = 0xb0,
  kSvr = 0xf0,
  kIcrLow = 0x300,
  kIcrHigh = 0x310,
  kLvtTimer = 0x320,
  kLvtLint0 = 0x350,
  kLvtLint1 = 0x360,
  kLvtError = 0x370,
  kTimerInitial = 0x380,
  kTimerCurrent = 0x390,
  kTimerDivide = 0x3e0,
};

constexpr std::uint64_t kApicBaseEnable = 1 << 11;
constexpr std::uint64_t kApicBaseX2 = 1 << 10;
constexpr std::uint32_t kLvtMasked = 1 << 16;
constexpr std::uint32_t kTimerPeriodic = 1 << 17;
constexpr std::uint32_t kIcrPending = 1 << 12;
constexpr std::uint32_t kIcrAssert = 1 << 14;

bool g_x2apic = false;
volatile std::uint32_t* g_mmio = nullptr;

std::uint32_t read(Reg reg) {
  if (g_x2apic) return static_cast<std::uint32_t>(cpu::rdmsr(0x800 + (reg >> 4)));
  return g_mmio[reg / 4];
}

void write(Reg reg, std::uint32_t value) {
  if (g_x2apic) {
    cpu::wrmsr(0x800 + (reg >> 4), value);
  } else {
    g_mmio[reg / 4] = value;
  }
}

void mask_legacy_pics() {
  // Remap the 8259s to vectors 0x20-0x2f (so a stray IRQ is not taken for an exception),
  // then mask every line.
  constexpr std::uint16_t kPic1 = 0x20, kPic2 = 0xa0;
  cpu::outb(kPic1, 0x11);
  cpu::outb(kPic2, 0x11);
  cpu::outb(kPic1 + 1, static_cast<std::uint8_t>(Vector::kLegacyPicBase));
  cpu::outb(kPic2 + 1, static_cast<std::uint8_t>(Vector::kLegacyPicBase) + 8);
  cpu::outb(kPic1 + 1, 4);
  cpu::outb(kPic2 + 1, 2);
  cpu::outb(kPic1 + 1, 1);
  cpu::outb(kPic2 + 1, 1);
  cpu::outb(kPic1 + 1, 0xff);
  cpu::outb(kPic2 + 1, 0xff);
}

void enable_this_cpu() {
  std::uint64_t base = cpu::rdmsr(cpu::msr::kApicBase) | kApicBaseEnable;
  if (g_x2apic) base |= kApicBaseX2;
  cpu::wrmsr(cpu::msr::kApicBase, base);
  write(kTpr, 0);
  write(kLvtTimer, kLvtMasked);
  write(kLvtLint0, kLvtMasked);
  write(kLvtLint1, static_cast<std::uint32_t>(Delivery::kNmi) << 8);
  write(kLvtError, kLvtMasked);
  write(kSvr, 0x100 | static_cast<std::uint32_t>(Vector::kSpurious));
  write(kEoi, 0);
}

}  // namespace

void init_bsp(Pa mmio_base) {
  g_x2apic = cpu::cpuid(1).ecx & (1u << 21);
  g_mmio = phys_ptr<volatile std::uint32_t>(mmio_base);
  mask_legacy_pics();
  enable_this_cpu();
}

void init_ap() { enable_this_cpu(); }

bool x2apic_mode() { return g_x2apic; }

std::uint32_t id() { return g_x2apic ? read(kId) : read(kId) >> 24; }

void eoi() { write(kEoi, 0); }

void send_ipi(std::uint32_t dest_apic_id, Delivery delivery, std::uint8_t vector,
              Shorthand shorthand) {
  std::uint32_t low = vector | (static_cast<std::uint32_t>(delivery) << 8) | kIcrAssert |
                      (static_cast<std::uint32_t>(shorthand) << 18);
  // The two ICR halves must not be split by an interrupt handler that sends an IPI too.
  cpu::InterruptGuard guard;
  if (g_x2apic) {
    cpu::wrmsr(0x830, (static_cast<std::uint64_t>(dest_apic_id) << 32) | low);
    return;
  }
  while (read(kIcrLow) & kIcrPending) cpu::pause();
  write(kIcrHigh, dest_apic_id << 24);
  write(kIcrLow, low);
  while (read(kIcrLow) & kIcrPending) cpu::pause();
}

void timer_set_divide_16() { write(kTimerDivide, 0x3); }

void timer_start_periodic(std::uint8_t vector, std::uint32_t initial_count) {
  timer_set_divide_16();
  write(kLvtTimer, vector | kTimerPeriodic);
  write(kTimerInitial, initial_count);
}

void timer_start_one_shot_masked(std::uint32_t initial_count) {
  timer_set_divide_16();
  write(kLvtTimer, kLvtMasked);
  write(kTimerInitial, initial_count);
}

std::uint32_t timer_current_count() { return read(kTimerCurrent); }

void timer_stop() {
  write(kLvtTimer, kLvtMasked);
  write(kTimerInitial, 0);
}

}  // namespace abyss::apic
