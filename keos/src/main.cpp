// The kernel layer's start: memory, the other CPUs, the root file system, then the work
// the host asked for: run one user program (QEMU fw_cfg file opt/keos/run, from
// `make run PROG=...`) or the kernel tests selected on the command line.
#include <new>

#include <abyss/boot.hpp>
#include <abyss/console.hpp>
#include <abyss/cpu.hpp>
#include <abyss/fw_cfg.hpp>
#include <abyss/percpu.hpp>
#include <abyss/power.hpp>
#include <abyss/smp.hpp>
#include <abyss/time.hpp>
#include <keos/fs/fs.hpp>
#include <keos/mm/frame_alloc.hpp>
#include <keos/mm/page_table.hpp>
#include <keos/mm/tlb.hpp>
#include <keos/process/process.hpp>
#include <keos/syscall/registers.hpp>
#include <keos/syscall/uaccess.hpp>
#include <keos/teletype.hpp>
#include <keos/test.hpp>
#include <keos/thread/scheduler.hpp>
#include <keos/thread/thread.hpp>

namespace {

constexpr std::size_t kMaxRunArgs = 32;

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

// A whole fw_cfg file in fresh frames that are never freed (or nullptr if absent).
std::uint8_t* read_fw_cfg_file(const char* name, std::size_t* size) {
  long full = abyss::fw_cfg::read_file(name, nullptr, 0);
  if (full < 0) return nullptr;
  unsigned order = 0;
  while ((keos::kPageSize << order) < static_cast<std::size_t>(full) + 1) ++order;
  keos::Result<keos::Pa> block = keos::mm::alloc_frames(order, keos::mm::FrameUsage::kGeneric);
  if (block.is_err()) abyss::panic("no memory for fw_cfg file %s (%ld bytes)", name, full);
  auto* data = keos::phys_ptr<std::uint8_t>(block.value());
  abyss::fw_cfg::read_file(name, reinterpret_cast<char*>(data), full + 1);
  *size = static_cast<std::size_t>(full);
  return data;
}

// Panics with what is wrong with the archive `what` (and where), so a corrupt root file
// system stops the boot with a message rather than a crash later.
[[noreturn]] void refuse_archive(const char* what, keos::KernelError error,
                                 const keos::fs::ArchiveDefect& defect) {
  if (error == keos::KernelError::kInvalidArgument && defect.reason != nullptr) {
    abyss::panic("%s: not a valid ustar archive: %s (header at byte %lu)", what, defect.reason,
                 defect.offset);
  }
  abyss::panic("%s: %s", what, keos::error_name(error));
}

void mount_file_systems() {
  keos::fs::ArchiveDefect defect;
  keos::Result<void> root = keos::fs::mount_root(&defect);
  if (root.is_err()) {
    refuse_archive(root.error() == keos::KernelError::kNoSuchEntry
                       ? "root file system (no GRUB module \"rootfs\")"
                       : "root file system (GRUB module \"rootfs\")",
                   root.error(), defect);
  }
  std::size_t size;
  if (std::uint8_t* extra = read_fw_cfg_file("opt/keos/extra.tar", &size)) {
    // The user's own programs win over the built-in ones of the same name.
    keos::Result<void> added =
        keos::fs::add_archive(extra, size, &defect, keos::fs::OnClash::kReplace);
    if (added.is_err()) refuse_archive("extra programs (EXTRA_PROGS)", added.error(), defect);
  }
}

// `make run PROG=...`: opt/keos/run holds the program and its arguments, one per line;
// opt/keos/stdin its standard input. Prints "@@ exit CODE" and powers off.
[[noreturn]] int run_program(std::uint8_t* spec, std::size_t spec_size) {
  const char* args[kMaxRunArgs];
  std::size_t argc = 0;
  char* p = reinterpret_cast<char*>(spec);
  char* end = p + spec_size;
  while (p < end && argc < kMaxRunArgs) {
    char* start = p;
    while (p < end && *p != '\n') ++p;
    *p++ = '\0';
    if (*start != '\0') args[argc++] = start;
  }
  if (argc == 0) abyss::panic("opt/keos/run names no program");
  std::size_t input_size = 0;
  std::uint8_t* input = read_fw_cfg_file("opt/keos/stdin", &input_size);
  keos::Teletype* tty = keos::Teletype::create(reinterpret_cast<const char*>(input),
                                               input == nullptr ? 0 : input_size, keos::Echo::kYes);
  if (tty == nullptr) abyss::panic("no memory for the program's teletype");
  keos::Current::replace_teletype(tty);
  keos::Result<int> code = keos::run_elf(args[0], args, argc);
  if (code.is_err()) {
    abyss::console::line("@@ exit-error %s: %s", args[0], keos::error_name(code.error()));
    abyss::power_off(abyss::ExitCode::kFailure);
  }
  abyss::console::line("@@ exit %d", code.value());
  abyss::power_off(abyss::ExitCode::kSuccess);
}

int first_work() {
  mount_file_systems();
  std::size_t size;
  if (std::uint8_t* spec = read_fw_cfg_file("opt/keos/run", &size)) run_program(spec, size);
  keos::test::run_from_cmdline(abyss::kernel_cmdline());
}

}  // namespace

void kernel_main() {
  keos::mm::init_frame_allocator();
  keos::tlb::init();
  if (keos::kernel_vm::init().is_err() || keos::sched::init_stacks().is_err()) {
    abyss::panic("no memory for kernel stacks");
  }
  keos::sched::init_bsp(abyss::this_cpu().kernel_stack_top);
  abyss::set_kernel_fault_hook(keos::handle_kernel_fault);
  keos::init_user_mode();
  keos::memmap::init_from_cmdline(abyss::kernel_cmdline());
  keos::init_user_mode_this_cpu();
  abyss::smp::start_aps(alloc_boot_stack, ap_main);
  abyss::time::start_timer_this_cpu();
  keos::sched::wait_until_all_cpus_ready();
  abyss::console::line("@@ boot cpus=%u ms=%lu", abyss::cpu_count(),
                       abyss::time::now_ns() / 1'000'000);
  if (keos::ThreadBuilder("main").spawn(first_work).is_err()) {
    abyss::panic("cannot start the first thread");
  }
  keos::sched::idle_loop();
}
