"""Unit tests of the rubric and of scoring and results files (python3 -m unittest)."""

import csv
import io
import json
import os
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402
import results  # noqa: E402
import rubric as rubric_mod  # noqa: E402
from results import Grading, TestResult  # noqa: E402

RUBRIC = {
    "project": "project3: fork with copy-on-write",
    "whitelist": ["project3/fork.cpp"],
    "defaults": {"timeout": 30, "cpu": 4, "mem": "512M"},
    "rubrics": {
        "fork": {"points": 30, "tests": {"fork_*": {}}},
        "copy-on-write": {"points": 70, "tests": {"cow_a": {"timeout": 180}, "cow_b": {},
                                                  "cow_c": {"cpu": 2, "mem": "1G"}}},
        "regression": {"points": 0, "tests": {"sys_*": {}, "mm_map": {}}},
    },
}
LISTED = ["cow_a", "cow_b", "cow_c", "fork_basic", "fork_regs", "mm_map", "smp_x", "sys_open",
          "sys_read"]


def write_rubric(data) -> str:
    f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump(data, f)
    f.close()
    return f.name


class RubricTest(unittest.TestCase):
    def setUp(self):
        self.path = write_rubric(RUBRIC)
        self.addCleanup(os.unlink, self.path)

    def test_globs_shares_and_settings(self):
        r = rubric_mod.load(self.path, LISTED)
        self.assertEqual(r.project, "project3: fork with copy-on-write")
        self.assertEqual(r.names(graded=True), ["fork_basic", "fork_regs", "cow_a", "cow_b",
                                                "cow_c"])
        self.assertEqual(r.names(graded=False), ["sys_open", "sys_read", "mm_map"])
        self.assertEqual(r.find("fork_regs").points, 15)
        self.assertAlmostEqual(r.find("cow_b").points, 70 / 3)
        self.assertEqual(r.find("cow_a").timeout, 180)
        self.assertEqual((r.find("cow_c").cpu, r.find("cow_c").mem), (2, "1G"))
        self.assertEqual((r.find("cow_b").cpu, r.find("cow_b").mem), (4, "512M"))
        self.assertEqual(r.max_score, 100)
        self.assertEqual(r.group_sizes(), {"fork": 2, "copy-on-write": 3, "regression": 3})
        self.assertEqual([t.name for t in r.select(["cow_*", "sys_open"])],
                         ["cow_a", "cow_b", "cow_c", "sys_open"])
        self.assertEqual(len(r.select([], graded_only=True)), 5)

    def test_a_key_matching_nothing_is_an_error(self):
        with self.assertRaisesRegex(rubric_mod.RubricError, "'fork_\\*', which matches no"):
            rubric_mod.load(self.path, ["cow_a", "cow_b", "cow_c", "sys_open", "mm_map"])

    def test_a_test_in_two_groups_or_an_unknown_setting_is_an_error(self):
        data = json.loads(json.dumps(RUBRIC))
        data["rubrics"]["regression"]["tests"]["cow_*"] = {}
        path = write_rubric(data)
        self.addCleanup(os.unlink, path)
        with self.assertRaisesRegex(rubric_mod.RubricError, "in both"):
            rubric_mod.load(path, LISTED)
        data = json.loads(json.dumps(RUBRIC))
        data["rubrics"]["fork"]["tests"]["fork_*"] = {"timout": 5}
        path = write_rubric(data)
        self.addCleanup(os.unlink, path)
        with self.assertRaisesRegex(rubric_mod.RubricError, "unknown settings timout"):
            rubric_mod.load(path, LISTED)

    def test_without_a_kernel_keys_are_names_and_empty_groups_count_nothing(self):
        data = json.loads(json.dumps(RUBRIC))
        data["rubrics"]["fork"]["tests"] = {}
        path = write_rubric(data)
        self.addCleanup(os.unlink, path)
        r = rubric_mod.load(path, None)
        self.assertEqual(r.names(graded=False), ["sys_*", "mm_map"])
        self.assertEqual(r.empty_groups, ["fork"])
        self.assertEqual(r.max_score, 70)

    def test_the_project_rubric_is_well_formed(self):
        here = os.path.dirname(os.path.abspath(__file__))
        r = rubric_mod.load(os.path.join(here, "..", "project3", "rubric.json"), None)
        self.assertEqual(r.whitelist, ["project3/fork.cpp"])
        self.assertEqual(sum(r.groups.values()), 100)


def grading(verdicts: dict[str, str], sizes=None, groups=None) -> Grading:
    """A grading of the RUBRIC above with these verdicts (test -> verdict)."""
    groups = groups or {"fork": 30.0, "copy-on-write": 70.0, "regression": 0.0}
    sizes = sizes or {"fork": 2, "copy-on-write": 3, "regression": 3}
    tests = []
    for name, verdict in verdicts.items():
        group = ("fork" if name.startswith("fork") else
                 "copy-on-write" if name.startswith("cow") else "regression")
        share = groups[group] / sizes[group]
        tests.append(TestResult(name, group, share, verdict, 1.5,
                                "" if verdict == "pass" else f"why {name}", ["detail"],
                                f"build/grade/{name}.log"))
    return Grading("project3: fork", groups, sizes, tests, wall_s=12.3,
                   log_dir="build/grade")


class ScoreTest(unittest.TestCase):
    def test_groups_share_points_and_sum_exactly(self):
        g = grading({"fork_basic": "pass", "fork_regs": "fail", "cow_a": "pass",
                     "cow_b": "pass", "cow_c": "pass", "sys_open": "pass", "sys_read": "fail",
                     "mm_map": "pass"})
        by = {gs.group: gs for gs in g.group_scores()}
        self.assertEqual((by["fork"].score, by["fork"].passed), (15, 1))
        self.assertEqual(by["copy-on-write"].score, 70)  # 3 x 70/3, exactly
        self.assertEqual(by["regression"].score, 0)
        self.assertEqual((g.score, g.max_score), (85, 100))

    def test_thirteen_equal_shares_make_exactly_the_group(self):
        names = {f"cow_{i}": "pass" for i in range(13)}
        g = grading(names, sizes={"fork": 0, "copy-on-write": 13, "regression": 0})
        self.assertEqual(g.score, 70)
        self.assertEqual(g.max_score, 70)  # fork has no tests: left out

    def test_a_selection_is_scored_out_of_what_it_holds(self):
        g = grading({"cow_a": "pass"})
        self.assertEqual((g.score, g.max_score), (round(70 / 3, 6), round(70 / 3, 6)))

    def test_only_pass_scores(self):
        for verdict in ("fail", "leak", "todo", "panic", "timeout", "build failure"):
            self.assertEqual(grading({"cow_a": verdict}).score, 0, verdict)

    def test_repeated_runs(self):
        t = TestResult("cow_a", "copy-on-write", 10, "fail", 1, runs=["pass", "fail", "pass"])
        self.assertTrue(t.flaky)
        self.assertEqual(t.score, 0)
        self.assertFalse(TestResult("x", "g", 1, "pass", 1, runs=["pass", "pass"]).flaky)

    def test_points_text(self):
        self.assertEqual(results.points(70), "70")
        self.assertEqual(results.points(70 / 13), "5.38")
        self.assertEqual(results.points(0.0), "0")
        self.assertEqual(results.points(12.5), "12.5")


class FilesTest(unittest.TestCase):
    def setUp(self):
        self.g = grading({"fork_basic": "pass", "fork_regs": "panic", "cow_a": "todo",
                          "sys_open": "pass"})

    def test_gradescope_json(self):
        data = json.loads(json.dumps(results.gradescope(self.g)))
        self.assertEqual(data["score"], 15)
        self.assertEqual([t["name"] for t in data["tests"]],
                         ["fork_basic", "fork_regs", "cow_a", "sys_open"])
        for t in data["tests"]:
            for key in ("name", "score", "max_score", "status", "output", "verdict", "time"):
                self.assertIn(key, t)
        regs = data["tests"][1]
        self.assertEqual((regs["status"], regs["verdict"], regs["score"], regs["max_score"]),
                         ("failed", "panic", 0, 15))
        self.assertIn("panic: why fork_regs\ndetail\nlog: build/grade/fork_regs.log",
                      regs["output"])
        self.assertEqual(data["tests"][3]["max_score"], 0)
        self.assertEqual(data["tests"][3]["status"], "passed")
        self.assertEqual(data["extra_data"]["rubrics"]["fork"]["score"], 15)
        self.assertIn("total: 15/", data["output"])

    def test_a_build_failure_is_in_the_output(self):
        g = grading({"cow_a": "build failure"})
        g.build_error = "project3/fork.cpp:3:1: error: expected ';'"
        data = results.gradescope(g)
        self.assertTrue(data["output"].startswith("build failure:\nproject3/fork.cpp:3:1"))
        self.assertTrue(data["extra_data"]["build_failure"])
        self.assertEqual(g.status, "build failure")
        g.remarks = ["not submitted: project3/fork.cpp"]
        self.assertEqual(g.status, "build failure; not submitted: project3/fork.cpp")

    def test_junit(self):
        root = ET.fromstring(results.junit(self.g).split("\n", 1)[1])
        self.assertEqual((root.get("tests"), root.get("failures")), ("4", "2"))
        suites = {s.get("name"): s for s in root.iter("testsuite")}
        self.assertEqual(set(suites), {"fork", "copy-on-write", "regression"})
        regs = [c for c in suites["fork"] if c.get("name") == "fork_regs"][0]
        failure = regs.find("failure")
        self.assertEqual((failure.get("type"), failure.get("message")),
                         ("panic", "why fork_regs"))
        self.assertIsNone([c for c in suites["fork"]
                           if c.get("name") == "fork_basic"][0].find("failure"))

    def test_csv(self):
        groups = ["fork", "copy-on-write", "regression"]
        rows = [results.csv_header(groups), results.csv_row("alice", self.g, groups),
                results.csv_row("bob", None, groups, "error: no fork.cpp")]
        parsed = list(csv.reader(io.StringIO(results.csv_text(rows))))
        self.assertEqual(parsed[0], ["name", "total", "max", "fork", "copy-on-write",
                                     "regression", "status"])
        self.assertEqual(parsed[1], ["alice", "15", "53.33", "15", "0", "1/1 passed", "ok"])
        self.assertEqual(parsed[2][0], "bob")
        self.assertEqual(parsed[2][-1], "error: no fork.cpp")


class ReportTest(unittest.TestCase):
    def test_plain_table_and_reasons(self):
        g = grading({"fork_basic": "pass", "fork_regs": "fail", "cow_a": "todo",
                     "cow_b": "todo", "sys_open": "pass"})
        g.tests[2].reason = g.tests[3].reason = "not implemented: f (project3/fork.cpp:9)"
        out = io.StringIO()
        report.print_grading(g, out, "never")
        text = out.getvalue()
        self.assertNotIn("\033[", text)
        lines = text.splitlines()
        self.assertEqual(lines[0].split(), ["test", "rubric", "verdict", "time", "points"])
        self.assertEqual(lines[1].split(), ["fork_basic", "fork", "pass", "1.5s", "15/15"])
        self.assertIn("total: 15/", text)
        self.assertIn("  fork_regs: fail: why fork_regs", text)
        self.assertIn("      detail", text)
        self.assertIn("not implemented: f (project3/fork.cpp:9): cow_a, cow_b", text)
        self.assertIn("build/grade/", text)
        coloured = io.StringIO()
        report.print_grading(g, coloured, "always")
        self.assertIn("\033[32mpass", coloured.getvalue())

    def test_progress_line(self):
        out = io.StringIO()
        p = report.Progress(3, out, enabled=True)
        p.start("a")
        p.start("b")
        p.finish("a", ok=False)
        p.close()
        self.assertIn("grade: 1/3 done, 1 running, 1 failed  [b]", out.getvalue())
        silent = io.StringIO()
        q = report.Progress(1, silent, enabled=False)
        q.start("a")
        q.finish("a", True)
        q.close()
        self.assertEqual(silent.getvalue(), "")


if __name__ == "__main__":
    unittest.main()
