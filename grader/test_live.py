"""Unit tests of grader/live.py: make run's lines, its summary, and reading it back."""

import io
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktest  # noqa: E402
import live  # noqa: E402


def run(name, verdict, reason="", ms=5):
    r = ktest.TestRun(name, verdict=verdict, ms=ms)
    r.reason = reason
    return r


class LiveTest(unittest.TestCase):
    def test_printer_shows_one_line_per_test_and_hides_the_protocol(self):
        out = io.StringIO()
        p = live.Printer(out, colour=False, verbose=False)
        for line in ["[cpu0] info: booting", "@@ boot cpus=4 ms=3",
                     "@@ ktest start a free_frames=10", "[cpu1] info: a's message",
                     "@@ out 1 hello\\n", "@@ ktest pass a ms=12 free_frames=10",
                     "@@ ktest start b free_frames=10", "[cpu1] info: b's message",
                     "@@ ktest fail b ms=3 free_frames=10 :: x.cpp:1: wrong",
                     "@@ ktest start c free_frames=10",
                     "@@ todo F at project3/fork.cpp:9",
                     "@@ ktest todo c ms=0 free_frames=9 :: F at project3/fork.cpp:9",
                     "[cpu0] warning: outside any test"]:
            p.line(line)
        lines = out.getvalue().splitlines()
        self.assertEqual(len(lines), 5, lines)
        self.assertRegex(lines[0], r"^  PASS +a +0\.01 s$")
        self.assertRegex(lines[1], r"^  FAIL +b .* x\.cpp:1: wrong$")
        self.assertEqual(lines[2], "      | [cpu1] info: b's message")  # a failure's messages
        self.assertRegex(lines[3], r"^  TODO +c .*not implemented yet: F "
                                   r"\(project3/fork\.cpp:9\)$")
        self.assertEqual(lines[4], "[cpu0] warning: outside any test")
        self.assertNotIn("@@", out.getvalue())
        self.assertNotIn("a's message", out.getvalue())  # a passing test's messages

    def test_verbose_shows_every_line(self):
        out = io.StringIO()
        p = live.Printer(out, colour=False, verbose=True)
        p.line("@@ ktest start a free_frames=1")
        p.line("[cpu0] info: x")
        self.assertEqual(out.getvalue().splitlines(),
                         ["@@ ktest start a free_frames=1", "[cpu0] info: x"])

    def test_summary_counts_groups_and_reads_back(self):
        outcome = live.Outcome(runs=[
            run("a", "pass"), run("b", "todo", "not implemented: F (f.cpp:1)"),
            run("c", "todo", "not implemented: F (f.cpp:1)"),
            run("d", "todo", "not implemented: G (f.cpp:2)")], boots=2)
        out = io.StringIO()
        live.print_summary(outcome, 12.4, out, colour=False)
        text = out.getvalue()
        self.assertIn("make run: 4 tests in 12 s, 2 boots: 1 passed, 0 failed, "
                      "3 not implemented yet", text)
        self.assertTrue(outcome.ok())
        s = live.parse_summary(text)
        self.assertEqual((s.tests, s.passed, s.failed, s.todo), (4, 1, 0, 3))
        self.assertEqual(s.by_function, {"F": 2, "G": 1})
        self.assertIn("docs/project3.md", text)

    def test_a_failure_makes_the_run_fail(self):
        outcome = live.Outcome(runs=[run("a", "pass"), run("b", "panic", "boom")])
        self.assertFalse(outcome.ok())
        out = io.StringIO()
        live.print_summary(outcome, 1, out, colour=True)
        s = live.parse_summary(out.getvalue())  # colour codes do not get in the way
        self.assertEqual((s.passed, s.failed, s.todo), (1, 1, 0))
        self.assertIn("failed: b", out.getvalue())
        self.assertIsNone(live.parse_summary("no summary here"))


if __name__ == "__main__":
    unittest.main()
