#include <abyss/percpu.hpp>
#include <abyss/trap.hpp>

extern "C" const std::uint64_t abyss_trap_stubs[256];

namespace abyss {
namespace {

struct [[gnu::packed]] Gate {
  std::uint16_t offset_low;
  std::uint16_t selector;
  std::uint8_t ist;
  std::uint8_t type_attr;
  std::uint16_t offset_mid;
  std::uint32_t offset_high;
  std::uint32_t reserved;
};
static_assert(sizeof(Gate) == 16);

struct [[gnu::packed]] DescriptorPointer {
  std::uint16_t limit;
  std::uint64_t base;
};

alignas(16) Gate g_idt[256];

Ist ist_for(std::uint64_t vector) {
  switch (static_cast<Vector>(vector)) {
    case Vector::kDoubleFault:
      return Ist::kDoubleFault;
    case Vector::kNmi:
      return Ist::kNmi;
    case Vector::kMachineCheck:
      return Ist::kMachineCheck;
    default:
      return Ist::kNone;
  }
}

}  // namespace

void idt_init() {
  for (std::uint64_t v = 0; v < 256; ++v) {
    std::uint64_t handler = abyss_trap_stubs[v];
    g_idt[v] = Gate{
        .offset_low = static_cast<std::uint16_t>(handler),
        .selector = 0x08,
        .ist = static_cast<std::uint8_t>(ist_for(v)),
        .type_attr = 0x8e,  // present, DPL 0, 64-bit interrupt gate (IF cleared on entry)
        .offset_mid = static_cast<std::uint16_t>(handler >> 16),
        .offset_high = static_cast<std::uint32_t>(handler >> 32),
        .reserved = 0,
    };
  }
}

void idt_load() {
  DescriptorPointer idtr{sizeof g_idt - 1, reinterpret_cast<std::uint64_t>(g_idt)};
  asm volatile("lidt %0" ::"m"(idtr));
}

}  // namespace abyss
