// Hostile executables (userland/hostile/mkhostile.py writes them into the root file
// system): each bad_elf_* file breaks one rule of the loader's contract
// (keos/process/elf.hpp) -- truncated, overlapping, wrapping, kernel-address or page-0
// segments, a bad entry point, bad program-header counts or sizes, file bytes past the end
// of the file, the wrong class or type -- and must be refused before it runs: the process
// is not started, the error is ENOEXEC, nothing panics, and neither a frame nor a heap
// object is left behind. tiny_elf, from the same generator, must run and exit with 7, so
// the refusals are not just a generator that writes nothing a loader accepts.
// None of them forks: they pass on the student's skeleton too.
#include <keos/mm/frame_alloc.hpp>
#include <keos/mm/heap.hpp>
#include <keos/test.hpp>

#include <ktest/user_test.hpp>

namespace {

using ktest::UserRun;
using ktest::UserTestSpec;

// Runs `name` once and requires a clean refusal. Returns false after recording a failure.
bool refused_once(const char* name) {
  UserTestSpec spec{.program = name};
  UserRun run;
  std::size_t before = keos::mm::free_frame_count();
  run_user_program(spec, run);
  std::size_t after = keos::mm::free_frame_count();
  if (run.started) {
    keos::test::fail(__FILE__, __LINE__, "%s was started (exit %d, output \"%s\")", name,
                     run.exit_code, run.stdout_text);
    return false;
  }
  if (run.error != keos::KernelError::kNoExec) {
    keos::test::fail(__FILE__, __LINE__, "%s refused with %s, expected %s", name,
                     keos::error_name(run.error), keos::error_name(keos::KernelError::kNoExec));
    return false;
  }
  if (after != before) {
    keos::test::fail(__FILE__, __LINE__, "%s: %ld frames leaked by the refusal", name,
                     static_cast<long>(before) - static_cast<long>(after));
    return false;
  }
  return true;
}

// Refuses `name` once (anything the first load caches stays cached), then three more
// times, which must leave the heap exactly as they found it.
void expect_refused(const char* name) {
  if (!refused_once(name)) return;
  std::size_t live = keos::mm::heap_stats().live_objects;
  for (int i = 0; i < 3; ++i) {
    if (!refused_once(name)) return;
  }
  std::size_t now = keos::mm::heap_stats().live_objects;
  if (now != live) {
    keos::test::fail(__FILE__, __LINE__, "%s: %ld heap objects leaked by 3 refusals", name,
                     static_cast<long>(now) - static_cast<long>(live));
  }
}

}  // namespace

// One test per file, named after it: hostile_bad_elf_truncated runs bad_elf_truncated.
#define HOSTILE_ELF_TEST(file) \
  KEOS_TEST(hostile_##file) { expect_refused(#file); }

HOSTILE_ELF_TEST(bad_elf_truncated)
HOSTILE_ELF_TEST(bad_elf_truncated_header)
HOSTILE_ELF_TEST(bad_elf_empty)
HOSTILE_ELF_TEST(bad_elf_magic)
HOSTILE_ELF_TEST(bad_elf_overlap)
HOSTILE_ELF_TEST(bad_elf_overlap_same)
HOSTILE_ELF_TEST(bad_elf_kernel_addr)
HOSTILE_ELF_TEST(bad_elf_noncanonical)
HOSTILE_ELF_TEST(bad_elf_user_top)
HOSTILE_ELF_TEST(bad_elf_wrap)
HOSTILE_ELF_TEST(bad_elf_offset_wrap)
HOSTILE_ELF_TEST(bad_elf_entry)
HOSTILE_ELF_TEST(bad_elf_entry_nx)
HOSTILE_ELF_TEST(bad_elf_phnum)
HOSTILE_ELF_TEST(bad_elf_phnum0)
HOSTILE_ELF_TEST(bad_elf_phentsize)
HOSTILE_ELF_TEST(bad_elf_filesz_gt_memsz)
HOSTILE_ELF_TEST(bad_elf_offset_past_eof)
HOSTILE_ELF_TEST(bad_elf_filesz_past_eof)
HOSTILE_ELF_TEST(bad_elf_misaligned)
HOSTILE_ELF_TEST(bad_elf_page0)
HOSTILE_ELF_TEST(bad_elf_stack_overlap)
HOSTILE_ELF_TEST(bad_elf_class32)
HOSTILE_ELF_TEST(bad_elf_not_exec)

// The generator's well-formed file: 131 bytes, one segment, exit(7) by raw syscall.
KEOS_USER_TEST(hostile_tiny_elf, .program = "tiny_elf", .exit_code = 7)
