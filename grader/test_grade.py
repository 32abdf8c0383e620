"""Unit tests of the grader's judging, timeouts and GDB helpers (python3 -m unittest)."""

import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import grade  # noqa: E402
import grade_submissions  # noqa: E402
import judging  # noqa: E402
import ktest  # noqa: E402
import rubric as rubric_mod  # noqa: E402
import run  # noqa: E402
import toolchain  # noqa: E402

TEST = rubric_mod.RubricTest("cow_data", "copy-on-write", 5.0, 30.0, 4, "512M")


def boot(lines, exit_status=ktest.EXIT_SUCCESS, timed_out=False, timeout=80.0):
    r = ktest.BootResult(ktest.Boot("x.iso", timeout=timeout), lines, exit_status,
                         timed_out, 2.0, 1.0)
    ktest.parse(r)
    return r


START = ["@@ boot cpus=4 ms=500", "@@ ktest start cow_data free_frames=100"]
PANIC = [
    "@@ panic cpu=1",
    "KERNEL PANIC on cpu 1: page fault in kernel mode at address 0x0000000000000008",
    "  in thread 'cow' (id 7)",
    "  vector 14 (page fault), error code 0x0",
    "  RIP 0xffffff0000113825  CS  0x0008  RFLAGS 0x00000202",
    "  RAX 0x00000000dead0000  RBX 0x0000000000000010  RCX 0x000000003b9aca00",
    "  R13 0xffffff000038d080  R14 0x0000000000000000  R15 0xffffff00001459e0",
    "backtrace:",
    "  #0  0xffffff0000101000  keos::LazyPager::do_copy_on_write(...)+0x4",
    "  #1  0xffffff0000102000  keos::LazyPager::handle_page_fault(...)+0x80",
    "@@ panic-end",
]


class JudgeTest(unittest.TestCase):
    def test_pass(self):
        r = boot(START + ["@@ ktest pass cow_data ms=3 free_frames=100",
                          "@@ summary passed=1 failed=0"])
        self.assertEqual(judging.judge(TEST, r, None), ("pass", "", []))

    def test_a_failed_user_program_shows_its_assertion(self):
        r = boot(START + [
            "@@ out 1 start\\n",
            "@@ out 1 User process ABORT at cow_data.c:31 in main(): assertion `x == 2' "
            "failed.\\n",
            "@@ ktest fail cow_data ms=3 free_frames=100 :: keos/ktests/ktest/"
            "user_test.cpp:140: cow_data exited with 1, expected 0; its last output: "
            "\"start\"",
        ], exit_status=ktest.EXIT_FAILURE)
        verdict, reason, details = judging.judge(TEST, r, None)
        self.assertEqual(verdict, "fail")
        self.assertEqual(reason, "cow_data exited with 1, expected 0; its last output: "
                                 "\"start\"")
        self.assertEqual(details, ["user program: User process ABORT at cow_data.c:31 in "
                                   "main(): assertion `x == 2' failed."])

    def test_a_kernel_test_failure_keeps_its_place(self):
        r = boot(START + ["@@ ktest fail cow_data ms=3 free_frames=100 :: "
                          "project3/tests/cow_kernel.cpp:79: stdout differs at line 2: "
                          "expected \"a\", got \"b\""], exit_status=ktest.EXIT_FAILURE)
        verdict, reason, _ = judging.judge(TEST, r, None)
        self.assertEqual(verdict, "fail")
        self.assertEqual(reason, "project3/tests/cow_kernel.cpp:79: stdout differs at line 2: "
                                 "expected \"a\", got \"b\"")

    def test_a_panic_gives_its_message_and_backtrace_without_registers(self):
        r = boot(START + PANIC, exit_status=ktest.EXIT_PANIC)
        verdict, reason, details = judging.judge(TEST, r, None)
        self.assertEqual(verdict, "panic")
        self.assertEqual(reason, "page fault in kernel mode at address 0x0000000000000008")
        self.assertEqual(details, [
            "in thread 'cow' (id 7)", "vector 14 (page fault), error code 0x0", "backtrace:",
            "#0  0xffffff0000101000  keos::LazyPager::do_copy_on_write(...)+0x4",
            "#1  0xffffff0000102000  keos::LazyPager::handle_page_fault(...)+0x80"])

    def test_a_panic_before_or_after_the_test(self):
        early = boot(["@@ boot cpus=4 ms=500"] + PANIC, exit_status=ktest.EXIT_PANIC)
        verdict, reason, _ = judging.judge(TEST, early, None)
        self.assertEqual(verdict, "panic")
        self.assertTrue(reason.startswith("before the test started: page fault"))
        late = boot(START + ["@@ ktest pass cow_data ms=3 free_frames=100"] + PANIC,
                    exit_status=ktest.EXIT_PANIC)
        verdict, reason, _ = judging.judge(TEST, late, None)
        self.assertEqual(verdict, "panic")
        self.assertTrue(reason.startswith("after the test ended"))

    def test_not_implemented(self):
        r = boot(START + ["@@ todo fork_child_registers at project3/fork.cpp:101"] + PANIC,
                 exit_status=ktest.EXIT_PANIC)
        self.assertEqual(judging.judge(TEST, r, None)[:2],
                         ("todo", "not implemented: fork_child_registers "
                                  "(project3/fork.cpp:101)"))

    def test_timeout_and_leak(self):
        r = boot(START + ["[cpu1] still copying", "@@ out 1 round 7\\n"], exit_status=None,
                 timed_out=True, timeout=80)
        verdict, reason, details = judging.judge(TEST, r, None)
        self.assertEqual(verdict, "timeout")
        self.assertEqual(reason, "no result within 80 s (the test started but did not finish)")
        self.assertEqual(details, ["last console line: [cpu1] still copying",
                                   "last output: round 7"])
        r.stuck = "CPU 1 in keos::LazyPager::write_protect_ptes (project3/fork.cpp:66)"
        self.assertEqual(judging.judge(TEST, r, None)[1],
                         "no result within 80 s (the test started but did not finish); when "
                         "it was stopped: CPU 1 in keos::LazyPager::write_protect_ptes "
                         "(project3/fork.cpp:66)")
        leak = boot(START + ["@@ ktest pass cow_data ms=3 free_frames=97"])
        self.assertEqual(judging.judge(TEST, leak, None)[0], "leak")

    def test_the_wrong_number_of_cpus_fails(self):
        r = boot(["@@ boot cpus=2 ms=500", "@@ ktest start cow_data free_frames=1",
                  "@@ ktest pass cow_data ms=3 free_frames=1"])
        verdict, reason, _ = judging.judge(TEST, r, None)
        self.assertEqual(verdict, "fail")
        self.assertIn("booted 2 CPUs", reason)


class SourceLinesTest(unittest.TestCase):
    def test_the_elf_of_an_iso(self):
        tmp = tempfile.mkdtemp(prefix="keos-elf-test-")
        self.addCleanup(shutil.rmtree, tmp)
        open(os.path.join(tmp, "kernel-student.elf"), "w").close()
        self.assertEqual(judging.kernel_elf_of(os.path.join(tmp, "keos-student.iso")),
                         os.path.join(tmp, "kernel-student.elf"))
        self.assertIsNone(judging.kernel_elf_of(os.path.join(tmp, "keos-solution.iso")))
        self.assertIsNone(judging.kernel_elf_of(os.path.join(tmp, "other.iso")))

    def test_frames_get_their_source_lines(self):
        details = ["backtrace:", "#0  0xffffff0000101000  f()+0x4"]
        self.assertEqual(judging.add_source_lines(None, details), details)
        elf = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build",
                           "kernel-student.elf")
        if not os.path.exists(elf) or shutil.which(toolchain.tool("nm")) is None:
            self.skipTest("no kernel built")
        import subprocess
        symbols = subprocess.run([toolchain.tool("nm"), elf], capture_output=True, text=True).stdout
        address = next((line.split()[0] for line in symbols.splitlines()
                        if line.endswith(" _Z11kernel_mainv")), None)
        if address is None:
            self.skipTest("no kernel_main in the kernel")
        out = judging.add_source_lines(elf, [f"#0  0x{address}  kernel_main+0x0"])
        self.assertRegex(out[0], r"kernel_main\+0x0  at keos/src/main\.cpp:\d+$")


class RepeatTest(unittest.TestCase):
    def test_every_run_must_pass_and_the_first_failure_explains(self):
        runs = [("pass", "", [], "a.1.log", 1.0), ("timeout", "slow", [], "a.2.log", 9.0),
                ("fail", "bad", [], "a.3.log", 2.0)]
        r = grade._combine(TEST, runs)
        self.assertEqual((r.verdict, r.reason, r.log, r.time_s), ("timeout", "slow",
                                                                  "a.2.log", 9.0))
        self.assertEqual(r.runs, ["pass", "timeout", "fail"])
        self.assertTrue(r.flaky)
        one = grade._combine(TEST, [("pass", "", [], "a.log", 1.0)])
        self.assertEqual((one.verdict, one.runs, one.score), ("pass", [], 5.0))


class OptionsTest(unittest.TestCase):
    def test_timeouts_scale_without_kvm(self):
        tcg = grade.Options(kvm=False, timeout_scale=1.5)
        self.assertEqual(tcg.boot_timeout(TEST),
                         (30 + grade.BOOT_ALLOWANCE_S) * grade.TCG_SLOWDOWN * 1.5)
        self.assertEqual(grade.Options(kvm=True).boot_timeout(TEST),
                         30 + grade.BOOT_ALLOWANCE_S)

    def test_a_reference_time_gives_a_shorter_timeout_never_a_longer_one(self):
        opts = grade.Options(kvm=False, reference={"cow_data": 2.0, "slow": 500.0})
        self.assertEqual(opts.boot_timeout(TEST), grade.REFERENCE_FLOOR_S)
        opts.reference["cow_data"] = 10.0
        self.assertEqual(opts.boot_timeout(TEST), 10.0 * grade.REFERENCE_FACTOR)
        slow = rubric_mod.RubricTest("slow", "copy-on-write", 5.0, 30.0, 4, "512M")
        self.assertEqual(opts.boot_timeout(slow), opts.rubric_timeout(slow))

    def test_a_slower_machine_gets_longer_timeouts_within_bounds(self):
        opts = grade.Options(reference={"cow_data": 10.0}, reference_boot_s=1.0)
        for now, factor in ((0.5, 1.0), (2.0, 2.0), (30.0, grade.MAX_SLOWDOWN)):
            opts.boot_s = now
            self.assertEqual(opts.boot_timeout(TEST),
                             min(opts.rubric_timeout(TEST),
                                 10.0 * grade.REFERENCE_FACTOR * factor))

    def test_a_shared_boot_has_the_sum_of_its_tests(self):
        other = rubric_mod.RubricTest("sys_x", "regression", 0.0, 30.0, 4, "512M")
        opts = grade.Options(reference={"cow_data": 5.0, "sys_x": 5.0})
        self.assertEqual(opts.shared_timeout([TEST, other]), 10.0 * grade.REFERENCE_FACTOR)
        del opts.reference["sys_x"]
        self.assertEqual(opts.shared_timeout([TEST, other]),
                         opts.rubric_timeout(TEST) + opts.rubric_timeout(other))

    def test_globs_and_names(self):
        self.assertEqual(grade.split_globs("cow_*, fork_basic  sys_*"),
                         ["cow_*", "fork_basic", "sys_*"])
        self.assertEqual(grade_submissions.submission_name("alice.tar.gz"), "alice")
        self.assertEqual(grade_submissions.submission_name("bob_fork.cpp"), "bob_fork")
        self.assertEqual(grade_submissions.submission_name("carol"), "carol")


class GdbTest(unittest.TestCase):
    def test_the_user_program_of_a_test(self):
        tmp = tempfile.mkdtemp(prefix="keos-gdb-test-")
        self.addCleanup(shutil.rmtree, tmp)
        with open(os.path.join(tmp, "fork.cpp"), "w") as f:
            f.write('KEOS_USER_TEST(fork_basic, .program = "fork_basic", .exit_code = 0)\n'
                    'KEOS_USER_TEST(fork_regs2,\n    .program = "regs", .args = {"regs"})\n'
                    'KEOS_TEST(cow_nomem) {\n  grader::UserTestSpec spec{.program = "cow_oom"};\n'
                    '}\nKEOS_TEST(cow_kernel_only) { }\n'
                    'KEOS_TEST(other) { spec{.program = "x"}; }\n')
        self.assertEqual(run.user_program_of("fork_basic", tmp), "fork_basic")
        self.assertEqual(run.user_program_of("fork_regs2", tmp), "regs")
        self.assertEqual(run.user_program_of("cow_nomem", tmp), "cow_oom")
        self.assertIsNone(run.user_program_of("cow_kernel_only", tmp))
        self.assertIsNone(run.user_program_of("fork", tmp))  # a prefix is not a name

    def test_the_user_program_of_a_test_in_this_tree(self):
        # The default folders are where the parts keep their tests: a graded test, a
        # regression test and a kernel-only test of this tree.
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        cwd = os.getcwd()
        os.chdir(root)
        self.addCleanup(os.chdir, cwd)
        self.assertEqual(run.user_program_of("cow_data"), "cow_data")
        self.assertEqual(run.user_program_of("sys_args_none"), "sys_args")
        self.assertIsNone(run.user_program_of("cow_tlb_cross_cpu"))

    def test_the_gdb_script(self):
        tmp = tempfile.mkdtemp(prefix="keos-gdb-test-")
        self.addCleanup(shutil.rmtree, tmp)
        path = os.path.join(tmp, "t.gdb")
        run.gdb_script(path, "build/kernel-student.elf", 1234, "build/userland/bin/fork_basic")
        with open(path) as f:
            text = f.read()
        self.assertIn("file build/kernel-student.elf\n", text)
        self.assertIn("add-symbol-file build/userland/bin/fork_basic\n", text)
        self.assertIn("target remote 127.0.0.1:1234\n", text)
        self.assertIn("scripts/gdb/pagetable.py\n", text)


if __name__ == "__main__":
    unittest.main()


class SharedBootTest(unittest.TestCase):
    """Regression tests share a boot; one that does not pass there is run again alone."""

    def setUp(self):
        self.calls: list[list[str]] = []
        real = ktest.run_all

        def fake(boots, jobs, on_start=None, on_done=None):
            self.calls.append([b.cmdline for b in boots])
            out = []
            for i, b in enumerate(boots):
                names = b.cmdline.split("test=")[1].split()[0].split(",")
                lines = ["@@ boot cpus=4 ms=1"]
                for n in names:
                    lines.append(f"@@ ktest start {n} free_frames=10")
                    ok = n != "sys_b" or len(names) == 1  # sys_b fails only when shared
                    lines.append(f"@@ ktest {'pass' if ok else 'fail'} {n} ms=5 "
                                 f"free_frames=10" + ("" if ok else " :: broken"))
                r = boot(lines)
                r.boot = b
                if on_start:
                    on_start(i)
                if on_done:
                    on_done(i, r)
                out.append(r)
            return out

        ktest.run_all = fake
        self.addCleanup(setattr, ktest, "run_all", real)

    def test_the_rerun_alone_gives_the_verdict(self):
        tests = [rubric_mod.RubricTest(n, "regression", 0.0, 30.0, 4, "512M")
                 for n in ("sys_a", "sys_b", "sys_c")]
        tests.append(TEST)
        opts = grade.Options(log_dir=tempfile.mkdtemp(), progress=False)
        self.addCleanup(shutil.rmtree, opts.log_dir)
        seen: list[int] = []
        out = grade.run_tests("x.iso", tests, opts, {}, lambda done: seen.append(len(done)))
        self.assertEqual([t.verdict for t in out], ["pass"] * 4)
        self.assertEqual(len(self.calls), 2)
        self.assertEqual(sorted(self.calls[0]),
                         sorted(["quiet test=sys_a,sys_b,sys_c expect_cpus=4",
                                 "quiet test=cow_data expect_cpus=4"]))
        self.assertEqual(self.calls[1], ["quiet test=sys_b expect_cpus=4"])
        self.assertEqual(seen[-1], 4)

    def test_alone_boots_every_test_alone(self):
        tests = [rubric_mod.RubricTest(n, "regression", 0.0, 30.0, 4, "512M")
                 for n in ("sys_a", "sys_b")]
        opts = grade.Options(log_dir=tempfile.mkdtemp(), progress=False, alone=True)
        self.addCleanup(shutil.rmtree, opts.log_dir)
        grade.run_tests("x.iso", tests, opts, {})
        self.assertEqual(len(self.calls), 1)
        self.assertEqual(len(self.calls[0]), 2)
