// Memory tests through user programs (userland/tests/mm_*.c): anonymous and file mmap,
// munmap, argument checks, lazy paging, access violations ending the process with -1,
// and kernel-side checks that exiting processes give back every frame.
#include <ktest/user_test.hpp>

#include <abyss/string.hpp>
#include <keos/mm/frame_alloc.hpp>
#include <keos/process/lazy_pager.hpp>
#include <keos/process/mm_struct.hpp>
#include <keos/test.hpp>

namespace {

// Runs `spec` and checks that it ran, exited with spec.exit_code, printed spec.stdout_text
// (if given), and that every frame is back once it (and its teletype) is gone: the free-
// frame count equals `baseline`.
bool run_and_count(const ktest::UserTestSpec& spec, std::size_t baseline, int round) {
  // Static: a UserRun is larger than a kernel stack should carry; tests run one at a time.
  static ktest::UserRun run;
  ktest::run_user_program(spec, run);
  const char* arg = spec.args[1] != nullptr ? spec.args[1] : "";
  if (!run.started) {
    keos::test::fail(__FILE__, __LINE__, "round %d: cannot run %s %s: %s", round, spec.program, arg,
                     keos::error_name(run.error));
    return false;
  }
  if (run.exit_code != spec.exit_code) {
    keos::test::fail(__FILE__, __LINE__, "round %d: %s %s exited with %d, expected %d", round,
                     spec.program, arg, run.exit_code, spec.exit_code);
    return false;
  }
  if (spec.stdout_text != nullptr && strcmp(run.stdout_text, spec.stdout_text) != 0) {
    keos::test::fail(__FILE__, __LINE__, "round %d: %s %s printed \"%s\"", round, spec.program, arg,
                     run.stdout_text);
    return false;
  }
  std::size_t now = keos::mm::free_frame_count();
  if (now != baseline) {
    keos::test::fail(__FILE__, __LINE__,
                     "round %d: %s %s: %ld frames not returned (%lu free, %lu before)", round,
                     spec.program, arg, static_cast<long>(baseline - now), now, baseline);
    return false;
  }
  return true;
}

}  // namespace

// --- mmap and munmap ---------------------------------------------------------------------

KEOS_USER_TEST(mm_anon, .program = "mm_anon", .exit_code = 0,
               .stdout_text =
                   "mm_anon: 3 pages zero-filled, written and read back\n"
                   "mm_anon: a 100-byte mapping covers exactly one page\n"
                   "mm_anon: two mappings have separate memory\n"
                   "mm_anon: 16 MiB mapping: first and last byte written\n"
                   "mm_anon: the top page of user space is mappable\n"
                   "mm_anon: ok\n")

// --- lazy paging -------------------------------------------------------------------------

KEOS_USER_TEST(mm_lazy, .program = "mm_lazy", .exit_code = 0,
               .stdout_text =
                   "mm_lazy: mmap allocated nothing\n"
                   "mm_lazy: pages are faulted in one at a time\n"
                   "mm_lazy: a kernel copy into an untouched page faults it in\n"
                   "mm_lazy: entries carry the mapping's permission\n"
                   "mm_lazy: segments: text r-x, rodata r--, data and bss rw-, stack rw-\n"
                   "mm_lazy: the stack's bottom page comes on first touch\n"
                   "mm_lazy: a 4 GiB mapping costs only the pages touched\n"
                   "mm_lazy: no entry outside the program's pages\n"
                   "mm_lazy: ok\n")

KEOS_USER_TEST(mm_file, .program = "mm_file", .exit_code = 0,
               .stdout_text =
                   "mm_file: hello mapped: 140 file bytes, then zeros\n"
                   "mm_file: mappings at offsets match read()\n"
                   "mm_file: writes to a private mapping never reach the file\n"
                   "mm_file: a mapping outlives its fd\n"
                   "mm_file: ok\n")

KEOS_USER_TEST(mm_exec, .program = "mm_exec", .exit_code = 0,
               .stdout_text =
                   "mm_exec: code in an anonymous rwx page runs\n"
                   "mm_exec: code in a read-execute file mapping runs\n"
                   "mm_exec: ok\n")

KEOS_USER_TEST(mm_overlap, .program = "mm_overlap", .exit_code = 0,
               .stdout_text =
                   "mm_overlap: overlaps with a mapping refused, neighbours accepted\n"
                   "mm_overlap: overlaps with ELF segments refused\n"
                   "mm_overlap: overlaps with the stack refused\n"
                   "mm_overlap: ok\n")

KEOS_USER_TEST(mm_badaddr, .program = "mm_badaddr", .exit_code = 0,
               .stdout_text =
                   "mm_badaddr: 0 and unaligned addresses refused\n"
                   "mm_badaddr: kernel and non-canonical addresses refused\n"
                   "mm_badaddr: ranges past the end of user space refused\n"
                   "mm_badaddr: length 0 refused\n"
                   "mm_badaddr: a range ending at the end of user space is fine\n"
                   "mm_badaddr: ok\n")

KEOS_USER_TEST(mm_badfd, .program = "mm_badfd", .exit_code = 0,
               .stdout_text =
                   "mm_badfd: stdio and pipes refused\n"
                   "mm_badfd: closed, unknown and negative fds refused\n"
                   "mm_badfd: ok\n")

KEOS_USER_TEST(mm_munmap, .program = "mm_munmap", .exit_code = 0,
               .stdout_text =
                   "mm_munmap: only the exact start address is accepted\n"
                   "mm_munmap: a second munmap fails\n"
                   "mm_munmap: a freed range can be mapped again, fresh\n"
                   "mm_munmap: 512 mappings unmapped one by one in a scrambled order\n"
                   "mm_munmap: one address mapped and unmapped 300 times, fresh each time\n"
                   "mm_munmap: ok\n")

KEOS_USER_TEST(mm_readspan, .program = "mm_readspan", .exit_code = 0,
               .stdout_text =
                   "mm_readspan: read() and write() across adjacent mappings\n"
                   "mm_readspan: read() into gaps and read-only mappings fails\n"
                   "mm_readspan: ok\n")

// --- the user stack's alignment (crt0) ---------------------------------------------------
// The argument block is aligned to 8 bytes only: with one argument "x" after the name,
// RSP + 8 at _start is not 16-byte aligned, and crt0 must realign before main.

KEOS_USER_TEST(mm_stackalign_1, .program = "mm_stackalign", .exit_code = 0,
               .stdout_text = "mm_stackalign: argc=1 last=mm_stackalign misalignment=0\n")
KEOS_USER_TEST(mm_stackalign_2, .program = "mm_stackalign", .args = {"mm_stackalign", "x"},
               .exit_code = 0, .stdout_text = "mm_stackalign: argc=2 last=x misalignment=0\n")
KEOS_USER_TEST(mm_stackalign_3, .program = "mm_stackalign", .args = {"mm_stackalign", "xy"},
               .exit_code = 0, .stdout_text = "mm_stackalign: argc=2 last=xy misalignment=0\n")

// --- access violations: each ends the process with -1 right after its announcement -----

#define MM_FAULT_TEST(mode)                                                           \
  KEOS_USER_TEST(mm_fault_##mode, .program = "mm_fault", .args = {"mm_fault", #mode}, \
                 .exit_code = -1, .stdout_text = "mm_fault: " #mode "\n")

// Writes to memory that is not writable.
MM_FAULT_TEST(ro_write)          // a read-only anonymous mapping, page not present yet
MM_FAULT_TEST(ro_write_present)  // the same page after a read made it present
MM_FAULT_TEST(ro_file_write)     // a read-only file mapping
MM_FAULT_TEST(rodata_write)      // the program's .rodata
MM_FAULT_TEST(text_write)        // the program's .text
// Instruction fetches from non-executable memory.
MM_FAULT_TEST(nx_anon)   // an anonymous read-write page
MM_FAULT_TEST(nx_stack)  // the stack
MM_FAULT_TEST(nx_data)   // the program's .data
MM_FAULT_TEST(nx_file)   // a read-only file mapping
// Unmapped memory.
MM_FAULT_TEST(freed)      // a mapping after munmap
MM_FAULT_TEST(null_read)  // page 0
MM_FAULT_TEST(null_write)
MM_FAULT_TEST(low_read)     // 0x400000, below the text
MM_FAULT_TEST(below_stack)  // just below 0x47470000
MM_FAULT_TEST(gap_exec)     // a call to an address nothing maps
// Kernel and non-canonical addresses.
MM_FAULT_TEST(kernel_read)
MM_FAULT_TEST(kernel_write)
MM_FAULT_TEST(kernel_exec)
MM_FAULT_TEST(noncanon_read)  // 0x0000800000000000: #GP, not #PF
MM_FAULT_TEST(noncanon_high)  // 0x8000000000000000
// CPU exceptions raised in ring 3.
MM_FAULT_TEST(ud2)
MM_FAULT_TEST(div0)
MM_FAULT_TEST(int3)

#undef MM_FAULT_TEST

// --- frames come back when processes end ------------------------------------------------

// 24 processes in a row, each touching 64 MiB (16384 frames, plus page-table pages) of the
// 512 MiB machine: a process that kept even part of its memory would run the machine out
// within a few rounds, and the exact count catches a single page.
KEOS_TEST(mm_exit_stress) {
  std::size_t baseline = keos::mm::free_frame_count();
  for (int round = 0; round < 24; ++round) {
    ktest::UserTestSpec spec{.program = "mm_stress",
                              .exit_code = 0,
                              .stdout_text = "mm_stress: 16384 pages written and checked\n"};
    if (!run_and_count(spec, baseline, round)) return;
  }
}

// Small programs, normal exits and kills: the free-frame count is back to its starting
// value after each process is reaped.
KEOS_TEST(mm_exit_leak) {
  static const ktest::UserTestSpec kRuns[] = {
      {.program = "mm_anon"},
      {.program = "mm_file"},
      {.program = "mm_exec"},
      {.program = "mm_lazy"},
      {.program = "mm_readspan"},
      {.program = "mm_munmap"},
      {.program = "mm_stress",
       .args = {"mm_stress", "16", "crash"},
       .exit_code = -1,
       .stdout_text = "mm_stress: 4096 pages written and checked\n"},
      {.program = "mm_fault", .args = {"mm_fault", "ro_write_present"}, .exit_code = -1},
      {.program = "mm_fault", .args = {"mm_fault", "nx_stack"}, .exit_code = -1},
      {.program = "mm_fault", .args = {"mm_fault", "ud2"}, .exit_code = -1},
  };
  std::size_t baseline = keos::mm::free_frame_count();
  for (std::size_t i = 0; i < sizeof kRuns / sizeof kRuns[0]; ++i) {
    if (!run_and_count(kRuns[i], baseline, static_cast<int>(i))) return;
  }
}

// mmap records a mapping and allocates nothing, not even a page-table page: the free-frame
// count does not move, however large the mapping, and no entry appears.
KEOS_TEST(mm_mmap_allocates_nothing) {
  keos::Result<keos::MmStruct<keos::LazyPager>> created = keos::MmStruct<keos::LazyPager>::create();
  KEOS_ASSERT(created.is_ok());
  keos::MmStruct<keos::LazyPager> mm = created.take();
  constexpr keos::Permission kRw = keos::Permission::kRead | keos::Permission::kWrite;
  // The first mapping grows the area array on the heap; count around the later ones.
  using keos::AnonymousLoader;
  using keos::Box;
  KEOS_ASSERT(mm.mmap(keos::Va(0x1000), keos::kPageSize, kRw, Box<AnonymousLoader>::create().take())
                  .is_ok());
  keos::Result<Box<AnonymousLoader>> small = Box<AnonymousLoader>::create();
  keos::Result<Box<AnonymousLoader>> huge = Box<AnonymousLoader>::create();
  KEOS_ASSERT(small.is_ok() && huge.is_ok());
  std::size_t before = keos::mm::free_frame_count();
  KEOS_ASSERT(mm.mmap(keos::Va(0x10000000), keos::kPageSize, kRw, small.take()).is_ok());
  KEOS_ASSERT(mm.mmap(keos::Va(0x100000000), 64ull << 30, kRw, huge.take()).is_ok());  // 64 GiB
  KEOS_ASSERT_EQ(keos::mm::free_frame_count(), before);
  KEOS_ASSERT(mm.page_table().walk(keos::Va(0x10000000)).is_err());
  KEOS_ASSERT(mm.page_table().walk(keos::Va(0x100000000)).is_err());
  KEOS_ASSERT(mm.munmap(keos::Va(0x100000000)).is_ok());
  KEOS_ASSERT_EQ(keos::mm::free_frame_count(), before);
}

// Out of memory in a page fault: with 8 MiB left, a process touching 64 MiB cannot have
// its next page. It ends with -1 before it can print; the kernel goes on, and every frame
// (the ones it did get included) comes back.
KEOS_TEST(mm_oom_in_fault) {
  std::size_t baseline = keos::mm::free_frame_count();
  ktest::UserTestSpec spec{
      .program = "mm_stress", .exit_code = -1, .stdout_text = "", .leave_frames = 2048};
  if (!run_and_count(spec, baseline, 0)) return;
  // And the machine is still whole: the same program with all the memory succeeds.
  ktest::UserTestSpec again{.program = "mm_stress",
                             .exit_code = 0,
                             .stdout_text = "mm_stress: 16384 pages written and checked\n"};
  run_and_count(again, baseline, 1);
}
