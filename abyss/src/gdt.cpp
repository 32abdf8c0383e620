#include <abyss/gdt.hpp>

#include <abyss/string.hpp>

namespace abyss {
namespace {

constexpr std::uint64_t kCode64Kernel = 0x00af9a000000ffff;
constexpr std::uint64_t kDataKernel = 0x00cf92000000ffff;
constexpr std::uint64_t kDataUser = 0x00cff2000000ffff;
constexpr std::uint64_t kCode64User = 0x00affa000000ffff;

struct [[gnu::packed]] DescriptorPointer {
  std::uint16_t limit;
  std::uint64_t base;
};

}  // namespace

void gdt_init(Cpu& c, const std::uint64_t (&ist_tops)[kIstCount]) {
  memset(&c.tss, 0, sizeof c.tss);
  c.tss.iomap_base = sizeof(Tss);  // no I/O permission bitmap: ring 3 gets no ports
  for (int i = 0; i < kIstCount; ++i) c.tss.ist[i] = ist_tops[i];
  c.tss.rsp[0] = c.kernel_stack_top;

  std::uint64_t base = reinterpret_cast<std::uint64_t>(&c.tss);
  std::uint64_t limit = sizeof(Tss) - 1;
  c.gdt[0] = 0;
  c.gdt[1] = kCode64Kernel;
  c.gdt[2] = kDataKernel;
  c.gdt[3] = kDataUser;
  c.gdt[4] = kCode64User;
  c.gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
             (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
  c.gdt[6] = base >> 32;

  DescriptorPointer gdtr{sizeof c.gdt - 1, reinterpret_cast<std::uint64_t>(c.gdt)};
  asm volatile(
      "lgdt %0\n"
      "pushq %1\n"
      "leaq 1f(%%rip), %%rax\n"
      "pushq %%rax\n"
      "lretq\n"
      "1:\n"
      "mov %2, %%ds\n"
      "mov %2, %%es\n"
      "mov %2, %%ss\n"
      "ltr %3\n"
      :
      : "m"(gdtr), "i"(kKernelCs), "r"(static_cast<std::uint16_t>(kKernelDs)), "r"(kTssSelector)
      : "rax", "memory");
}

void set_kernel_stack(std::uint64_t top) {
  Cpu& c = this_cpu();
  c.kernel_stack_top = top;
  c.tss.rsp[0] = top;
}

}  // namespace abyss
