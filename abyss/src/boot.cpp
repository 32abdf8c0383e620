// The bootstrap processor's C++ entry (from boot/entry.asm).
#include <abyss/boot.hpp>

#include <abyss/apic.hpp>
#include <abyss/cmdline.hpp>
#include <abyss/console.hpp>
#include <abyss/cpu.hpp>
#include <abyss/format.hpp>
#include <abyss/fw_cfg.hpp>
#include <abyss/gdt.hpp>
#include <abyss/multiboot1.hpp>
#include <abyss/panic.hpp>
#include <abyss/percpu.hpp>
#include <abyss/serial.hpp>
#include <abyss/string.hpp>
#include <abyss/time.hpp>
#include <abyss/trap.hpp>

extern "C" {
extern const unsigned char __kernel_start[], __bss_end[];
extern std::uint64_t abyss_boot_pdpt[512];
extern std::uint64_t abyss_boot_pml4[512];
using Constructor = void (*)();
extern const Constructor __init_array_start[], __init_array_end[];
}

namespace abyss {

Cpu& bsp_cpu_record();
extern const std::uint64_t (&bsp_ist_tops())[kIstCount];

namespace {

constinit BootInfo g_boot_info{};
constinit AcpiInfo g_acpi_info{};
constinit char g_cmdline[BootInfo::kMaxCmdline + 4096] = {};
constinit Pa g_boot_info_start, g_boot_info_end;
constinit Pa g_direct_map_end{4ull << 30};

void run_constructors() {
  for (const Constructor* c = __init_array_start; c != __init_array_end; ++c) (*c)();
}

const void* read_phys(void*, Pa pa, std::size_t len);

// GRUB passes Multiboot 2 information; QEMU's own loader (`-kernel`) Multiboot 1, which
// carries no RSDP: then it is looked for where the firmware leaves it.
void load_boot_info(std::uint32_t info_pa, std::uint32_t magic) {
  if (magic == kMultiboot1LoaderMagic) {
    Multiboot1Error err = parse_multiboot1(Pa(info_pa), PhysView{read_phys, nullptr}, g_boot_info);
    if (err != Multiboot1Error::kNone)
      panic("malformed multiboot information (error %d)", static_cast<int>(err));
    g_boot_info.rsdp_size = find_rsdp(PhysView{read_phys, nullptr}, g_boot_info.rsdp);
  } else {
    const void* info = phys_ptr(Pa(info_pa));
    std::uint32_t size;
    memcpy(&size, info, 4);
    Multiboot2Error err = parse_multiboot2(info, size, g_boot_info);
    if (err != Multiboot2Error::kNone)
      panic("malformed multiboot2 information (error %d)", static_cast<int>(err));
  }
  g_boot_info_start = Pa(info_pa);
  g_boot_info_end = Pa(info_pa + g_boot_info.info_size);
}

void build_cmdline() {
  std::size_t n = format(g_cmdline, sizeof g_cmdline, "%s", g_boot_info.cmdline);
  static char extra[4096];
  if (fw_cfg::read_file("opt/keos/cmdline", extra, sizeof extra) >= 0) {
    format(g_cmdline + n, sizeof g_cmdline - n, "%s%s", n != 0 ? " " : "", extra);
  }
  // A command line written to a file by hand usually ends in a newline: trim the end.
  for (std::size_t len = strlen(g_cmdline);
       len > 0 && (g_cmdline[len - 1] == '\n' || g_cmdline[len - 1] == ' '); --len) {
    g_cmdline[len - 1] = '\0';
  }
  if (cmdline_has(g_cmdline, "quiet")) console::set_level(LogLevel::kWarning);
  char level[16];
  if (cmdline_value(g_cmdline, "loglevel", level, sizeof level)) {
    if (strcmp(level, "debug") == 0) console::set_level(LogLevel::kDebug);
    if (strcmp(level, "info") == 0) console::set_level(LogLevel::kInfo);
    if (strcmp(level, "warning") == 0) console::set_level(LogLevel::kWarning);
  }
}

// The boot page table maps the first 4 GiB; map the rest of RAM with 1 GiB pages.
void extend_direct_map() {
  std::uint64_t top = 0;
  for (std::size_t i = 0; i < g_boot_info.region_count; ++i) {
    const MemoryRegion& r = g_boot_info.regions[i];
    if (r.type == MemoryType::kUsable) {
      std::uint64_t end = r.start.value() + r.length;
      if (end > top) top = end;
    }
  }
  constexpr std::uint64_t kGiB = 1ull << 30;
  std::uint64_t gigs = (top + kGiB - 1) / kGiB;
  if (gigs <= 4) return;
  bool huge_pages = cpu::cpuid(0x80000001).edx & (1u << 26);
  if (!huge_pages) {
    log::warning("no 1 GiB pages: RAM above 4 GiB is not used");
    return;
  }
  if (gigs > 512) gigs = 512;
  for (std::uint64_t g = 4; g < gigs; ++g) abyss_boot_pdpt[g] = (g * kGiB) | 0x83;
  cpu::write_cr3(cpu::read_cr3());
  g_direct_map_end = Pa(gigs * kGiB);
}

const void* read_phys(void*, Pa pa, std::size_t len) {
  if (pa.value() + len < pa.value() || pa.value() + len > g_direct_map_end.value()) {
    return nullptr;
  }
  return phys_ptr(pa);
}

void load_acpi() {
  if (g_boot_info.rsdp_size == 0) panic("no ACPI RSDP (from the boot loader or the BIOS areas)");
  AcpiError err = parse_acpi(g_boot_info.rsdp, g_boot_info.rsdp_size, PhysView{read_phys, nullptr},
                             g_acpi_info);
  if (err != AcpiError::kNone) panic("ACPI tables unusable (error %d)", static_cast<int>(err));
  if (g_acpi_info.cpus_truncated) log::warning("more than %u CPUs: the rest stay off", kMaxCpus);
}

}  // namespace

const BootInfo& boot_info() { return g_boot_info; }
const AcpiInfo& acpi_info() { return g_acpi_info; }
const char* kernel_cmdline() { return g_cmdline; }
Pa kernel_image_start() { return to_pa(kva_of(__kernel_start)); }
Pa kernel_image_end() { return to_pa(kva_of(__bss_end)); }
Pa boot_info_start() { return g_boot_info_start; }
Pa boot_info_end() { return g_boot_info_end; }
Pa direct_map_end() { return g_direct_map_end; }
Pa kernel_page_table_root() { return to_pa(kva_of(abyss_boot_pml4)); }

void init_cpu_features() {
  constexpr std::uint64_t kCr0Mp = 1 << 1, kCr0Em = 1 << 2, kCr0Wp = 1 << 16;
  constexpr std::uint64_t kCr4Pge = 1 << 7, kCr4Osfxsr = 1 << 9, kCr4Osxmmexcpt = 1 << 10,
                          kCr4Smep = 1 << 20;
  std::uint64_t cr0 = cpu::read_cr0();
  cr0 = (cr0 | kCr0Mp | kCr0Wp) & ~kCr0Em;
  asm volatile("mov %0, %%cr0" ::"r"(cr0));
  std::uint64_t cr4 = cpu::read_cr4() | kCr4Pge | kCr4Osfxsr | kCr4Osxmmexcpt;
  if (cpu::cpuid(7).ebx & (1u << 7)) cr4 |= kCr4Smep;
  cpu::write_cr4(cr4);
}

}  // namespace abyss

extern "C" [[noreturn]] void abyss_boot_main(std::uint32_t info_pa, std::uint32_t magic) {
  using namespace abyss;
  run_constructors();
  Cpu& bsp = bsp_cpu_record();
  cpu::wrmsr(cpu::msr::kGsBase, reinterpret_cast<std::uint64_t>(&bsp));
  cpu::wrmsr(cpu::msr::kKernelGsBase, 0);
  serial::init();
  load_boot_info(info_pa, magic);
  build_cmdline();
  log::info("KeOS-C++ booting; command line \"%s\"", g_cmdline);

  gdt_init(bsp, bsp_ist_tops());
  idt_init();
  idt_load();
  init_cpu_features();
  extend_direct_map();
  load_acpi();
  apic::init_bsp(g_acpi_info.lapic_base);
  bsp.apic_id = apic::id();
  time::calibrate();
  log::info("%lu CPU(s) in the MADT, %s, TSC %lu MHz, LAPIC timer %lu kHz", g_acpi_info.cpu_count,
            apic::x2apic_mode() ? "x2APIC" : "xAPIC", time::tsc_hz() / 1000000,
            time::lapic_timer_hz() / 1000);
  kernel_main();
}
