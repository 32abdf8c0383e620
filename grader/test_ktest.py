"""Unit tests of the host runner's parsing and judging (python3 -m unittest)."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktest  # noqa: E402


def result_of(lines, exit_status=ktest.EXIT_SUCCESS, timed_out=False):
    r = ktest.BootResult(ktest.Boot("x.iso"), lines, exit_status, timed_out, 1.0, 0.5)
    ktest.parse(r)
    return r


class ParseTest(unittest.TestCase):
    def test_unescape_round_trips_every_byte(self):
        self.assertEqual(ktest.unescape(r"a\\b\n\t\x00\xff"), b"a\\b\n\t\x00\xff")
        self.assertEqual(ktest.unescape("plain text "), b"plain text ")

    def test_pass_fail_and_leak(self):
        r = result_of([
            "@@ boot cpus=4 ms=10",
            "@@ ktest start a free_frames=100",
            "@@ ktest pass a ms=1 free_frames=100",
            "@@ ktest start b free_frames=100",
            "@@ ktest fail b ms=2 free_frames=100 :: x.cpp:3: assertion `1' failed",
            "@@ ktest start c free_frames=100",
            "@@ ktest pass c ms=3 free_frames=98",
            "@@ summary passed=2 failed=1",
        ], exit_status=ktest.EXIT_FAILURE)
        self.assertEqual(r.cpus, 4)
        self.assertEqual(r.summary, (2, 1))
        runs = {t.name: t for t in ktest.judge(r, ["a", "b", "c", "d"])}
        self.assertEqual(runs["a"].verdict, "pass")
        self.assertEqual(runs["b"].verdict, "fail")
        self.assertIn("x.cpp:3", runs["b"].reason)
        self.assertEqual(runs["c"].verdict, "leak")
        self.assertIn("2 leaked", runs["c"].reason)
        self.assertEqual(runs["d"].verdict, "missing")

    def test_output_is_attributed_to_its_test(self):
        r = result_of([
            "@@ ktest start a free_frames=1",
            "@@ out 1 hello\\n",
            "@@ out 2 oops",
            "@@ out 1 world",
            "[cpu0] info: a kernel log line is not output",
            "@@ ktest pass a ms=1 free_frames=1",
        ])
        self.assertEqual(bytes(r.output["a"][1]), b"hello\nworld")
        self.assertEqual(bytes(r.output["a"][2]), b"oops")

    def test_unexpected_panic_and_timeout(self):
        r = result_of([
            "@@ ktest start a free_frames=1",
            "@@ panic cpu=2",
            "KERNEL PANIC on cpu 2: page fault in kernel mode at address 0x0000000000000000",
            "backtrace:",
            "  #0  0xffffff0000101000  f()+0x4",
            "@@ panic-end",
        ], exit_status=ktest.EXIT_PANIC)
        runs = ktest.judge(r, ["a", "b"])
        self.assertEqual(runs[0].verdict, "panic")
        self.assertIn("page fault", runs[0].reason)
        self.assertEqual(runs[1].verdict, "missing")
        t = result_of(["@@ ktest start a free_frames=1"], exit_status=None, timed_out=True)
        self.assertEqual(ktest.judge(t, ["a"])[0].verdict, "timeout")

    def test_reaching_a_student_stub_is_not_implemented(self):
        r = result_of([
            "@@ ktest start cow free_frames=1",
            "@@ todo LazyPager::write_protect_ptes at project3/fork.cpp:57",
            "@@ panic cpu=1",
            "KERNEL PANIC on cpu 1: not implemented: LazyPager::write_protect_ptes",
            "@@ panic-end",
        ], exit_status=ktest.EXIT_PANIC)
        run = ktest.judge(r, ["cow", "next"])
        self.assertEqual(run[0].verdict, "todo")
        self.assertEqual(run[0].reason, "not implemented: LazyPager::write_protect_ptes "
                                        "(project3/fork.cpp:57)")
        self.assertEqual(run[1].verdict, "missing")

    def test_expected_panic_needs_every_piece(self):
        lines = [
            "@@ ktest start p free_frames=1",
            "@@ panic cpu=0",
            "KERNEL PANIC on cpu 0: assertion `x' failed",
            "backtrace:",
            "  #0  0xffffff0000101000  ktest_p()+0x4",
            "@@ panic-end",
        ]
        r = result_of(lines, exit_status=ktest.EXIT_PANIC)
        ok = ktest.judge(r, ["p"], {"p": "assertion `x' failed ;; ktest_p()+0x"})[0]
        self.assertEqual(ok.verdict, "pass", ok.reason)
        bad = ktest.judge(r, ["p"], {"p": "assertion `x' failed ;; other()+0x"})[0]
        self.assertEqual(bad.verdict, "fail")
        cut = result_of(lines[:-1], exit_status=ktest.EXIT_PANIC)
        self.assertEqual(ktest.judge(cut, ["p"], {"p": "assertion"})[0].verdict, "fail")
        passed = result_of(["@@ ktest start p free_frames=1",
                            "@@ ktest pass p ms=0 free_frames=1"])
        self.assertEqual(ktest.judge(passed, ["p"], {"p": "x"})[0].verdict, "fail")


if __name__ == "__main__":
    unittest.main()
