"""Unit tests of the Gradescope runner's sizing and of the per-test output it writes
(python3 -m unittest in grader/)."""

from __future__ import annotations

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "gradescope"))
import autograder  # noqa: E402
import results  # noqa: E402
import rubric as rubric_mod  # noqa: E402
from results import Grading, TestResult  # noqa: E402


class SizingTest(unittest.TestCase):
    def test_memory_syntax(self):
        self.assertEqual([autograder.mem_mb(m) for m in ("512M", "1G", "256", "x")],
                         [512, 1024, 256, 512])

    def test_jobs_fit_cpus_and_memory(self):
        self.assertEqual(autograder.jobs_for(8, 64 * 1024, 512), 8)
        self.assertEqual(autograder.jobs_for(8, 3072, 512), 3)  # 2048 // 672
        self.assertEqual(autograder.jobs_for(4, 512, 512), 1)

    def test_the_container_has_at_least_one_cpu_and_some_memory(self):
        self.assertGreaterEqual(autograder.cpu_count(), 1)
        self.assertGreater(autograder.memory_mb(), 0)


class OutputTest(unittest.TestCase):
    def test_a_failure_ends_with_its_console_log_and_keeps_its_visibility(self):
        with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as f:
            f.write("".join(f"line {i}\n" for i in range(40)))
        self.addCleanup(os.unlink, f.name)
        t = TestResult("cow_data", "cow", 10.0, "panic", 1.0, "page fault", ["#0 x"], f.name,
                       visibility="after_due_date")
        data = results.gradescope(Grading("p", {"cow": 10.0}, {"cow": 1}, [t]), tail=5)
        test = data["tests"][0]
        self.assertEqual(test["visibility"], "after_due_date")
        self.assertIn("panic: page fault", test["output"])
        self.assertTrue(test["output"].endswith("line 39"))
        self.assertNotIn("line 34", test["output"])

    def test_a_pass_names_no_log_the_reader_cannot_open(self):
        t = TestResult("cow_data", "cow", 10.0, "pass", 1.234, "", [], "build/grade/cow_data.log")
        g = Grading("p", {"cow": 10.0}, {"cow": 1}, [t])
        self.assertEqual(results.gradescope(g, tail=5)["tests"][0]["output"], "passed in 1.23 s")
        self.assertIn("log: build/grade/cow_data.log", results.gradescope(g)["tests"][0]["output"])

    def test_the_rubric_checks_visibility(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            f.write('{"rubrics": {"g": {"points": 1, "tests": {"a": {"visibility": "secret"}}}}}')
        self.addCleanup(os.unlink, f.name)
        with self.assertRaises(rubric_mod.RubricError):
            rubric_mod.load(f.name, None)


if __name__ == "__main__":
    unittest.main()
