// Project 3's graded user programs (project3/tests/user/fork_*.c and cow_*.c): each runs as a
// new process and must print exactly the transcript below and exit with the code given.
// A process that breaks a rule stops at an ASSERT, whose line then shows in the report.
#include <keos/mm/frame_alloc.hpp>
#include <keos/test.hpp>

#include <ktest/user_test.hpp>

// fork: the copy of the caller.
KEOS_USER_TEST(fork_basic, .program = "fork_basic",
               .stdout_text = "fork_basic: before fork\n"
                              "child: global=42 message=unchanged\n"
                              "child: now global=7 message=child's\n"
                              "parent: child said \"hello from the child\"\n"
                              "parent: global=42 message=unchanged\n"
                              "fork_basic: done\n")
KEOS_USER_TEST(fork_regs, .program = "fork_regs", .stdout_text = "fork_regs: ok\n")
KEOS_USER_TEST(fork_fd_table, .program = "fork_fd_table",
               .stdout_text = "child: ok\nparent: ok\n")
KEOS_USER_TEST(fork_pipe_eof, .program = "fork_pipe_eof", .stdout_text = "fork_pipe_eof: ok\n")
KEOS_USER_TEST(fork_tree, .program = "fork_tree",
               .stdout_text = "fork_tree: 32 processes, all values right\n")
KEOS_USER_TEST(fork_storm, .program = "fork_storm", .stdout_text = "fork_storm: 100 rounds\n")

// Copy-on-write: sharing and splitting, in both orders (split_page() in fork_util.h: the
// process that does not write reports first).
// clang-format off
#define KEOS_SPLIT_TRANSCRIPT(kind)      \
  kind ", parent writes: child ok\n"     \
  kind ", parent writes: parent ok\n"    \
  kind ", child writes: parent ok\n"     \
  kind ", child writes: child ok\n"
// clang-format on
KEOS_USER_TEST(cow_data, .program = "cow_data", .stdout_text = KEOS_SPLIT_TRANSCRIPT("data"))
KEOS_USER_TEST(cow_anon, .program = "cow_anon", .stdout_text = KEOS_SPLIT_TRANSCRIPT("anon"))
KEOS_USER_TEST(cow_file, .program = "cow_file", .stdout_text = KEOS_SPLIT_TRANSCRIPT("file"))
KEOS_USER_TEST(cow_stack, .program = "cow_stack", .stdout_text = KEOS_SPLIT_TRANSCRIPT("stack"))

// Read-only pages: a write is an access violation (-1), not copy-on-write.
KEOS_USER_TEST(cow_perm_anon_parent, .program = "cow_perm", .args = {"cow_perm", "anon", "parent"},
               .exit_code = -1,
               .stdout_text = "parent: writing the read-only page\nchild: page intact\n")
KEOS_USER_TEST(cow_perm_anon_child, .program = "cow_perm", .args = {"cow_perm", "anon", "child"},
               .stdout_text = "child: writing the read-only page\nparent: page intact\n")
KEOS_USER_TEST(cow_perm_file_parent, .program = "cow_perm", .args = {"cow_perm", "file", "parent"},
               .exit_code = -1,
               .stdout_text = "parent: writing the read-only page\nchild: page intact\n")
KEOS_USER_TEST(cow_perm_file_child, .program = "cow_perm", .args = {"cow_perm", "file", "child"},
               .stdout_text = "child: writing the read-only page\nparent: page intact\n")

// Page-table entries: RW cleared and restored, XD kept.
KEOS_USER_TEST(cow_pte_bits, .program = "cow_pte_bits",
               .stdout_text =
                   "parent before fork: data RW=1 XD=1, code RW=1 XD=0, read-only RW=0 XD=1\n"
                   "child after fork: data RW=0 XD=1, code RW=0 XD=0, read-only RW=0 XD=1\n"
                   "child after writes: data RW=1 XD=1, code RW=1 XD=0, read-only RW=0 XD=1\n"
                   "parent after fork: data RW=0 XD=1, code RW=0 XD=0, read-only RW=0 XD=1\n"
                   "parent after writes: data RW=1 XD=1, code RW=1 XD=0, read-only RW=0 XD=1\n")
KEOS_USER_TEST(cow_exec, .program = "cow_exec",
               .stdout_text = "child: runs its copy: 2\nparent: runs the original: 1\n")

// The kernel writing into a shared page (read()).
KEOS_USER_TEST(cow_sys, .program = "cow_sys",
               .stdout_text = "read from a file into .data: child ok\n"
                              "read from a file into .data: parent ok\n"
                              "read from a pipe into .data: child ok\n"
                              "read from a pipe into .data: parent ok\n"
                              "read into an executable page: child ok\n"
                              "read into an executable page: parent ok\n")

// Frame reuse and sharing.
KEOS_USER_TEST(cow_reuse, .program = "cow_reuse",
               .stdout_text = "reuse after the sharer exited: same frame\n"
                              "reuse after the sharer took a copy: same frame\n")
KEOS_USER_TEST(cow_readonly_shared, .program = "cow_readonly_shared",
               .stdout_text = "child: read-only pages still shared\n"
                              "parent: read-only pages still shared\n")
KEOS_USER_TEST(cow_shared64, .program = "cow_shared64",
               .stdout_text = "cow_shared64: 64 of 64 children wrote their own copy\n"
                              "cow_shared64: parent intact, frame reused\n")

// 12 rounds of a 64 MiB process whose child copies every page, in 512 MiB: a frame or
// page-table page leaked per copy runs the machine out of memory within a few rounds;
// and every round must give back exactly the frames it took.
KEOS_TEST(cow_cleanup_stress) {
  constexpr int kRounds = 12;
  const std::size_t before = keos::mm::free_frame_count();
  for (int round = 1; round <= kRounds; ++round) {
    ktest::run_user_test(ktest::UserTestSpec{
        .program = "cow_cleanup", .stdout_text = "cow_cleanup: 16384 pages copied and freed\n"});
    if (keos::test::failed()) return;
    std::size_t after = keos::mm::free_frame_count();
    if (after != before) {
      keos::test::fail(__FILE__, __LINE__, "round %d: %lu frames free, %lu before the first (%ld lost)",
                       round, after, before, static_cast<long>(before - after));
      return;
    }
  }
}

// Six process trees forking, writing the same shared pages and exiting on all CPUs at once,
// 150 rounds each: every process must see only its own data (project3/tests/user/cow_smp_stress.c),
// and the harness checks that every frame comes back.
KEOS_USER_TEST(cow_smp_stress, .program = "cow_smp_stress",
               .stdout_text = "cow_smp_stress: 6 workers x 150 rounds x 2 children, all data intact\n")
