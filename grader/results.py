"""The outcome of a grading and the files it is written to: points per test and per
rubric, the Gradescope results JSON, JUnit XML for CI dashboards, and a CSV row for bulk
grading. Pure functions of a `Grading`: nothing here boots or builds anything.

Scoring: a test earns its share of its group's points (points / number of tests in the
group) when its verdict is `pass` (on every run, with --repeat); a group's score is its
points times the fraction of its tests that passed, so a group that passes everything
scores exactly its points. Python standard library only.
"""

from __future__ import annotations

import csv
import io
import json
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

# Every verdict a graded test can get, and what each means (for tables and docs).
VERDICTS = {
    "pass": "passed",
    "fail": "wrong result (output, exit code or a kernel check)",
    "leak": "passed, but frames were not given back (free-frame count differs)",
    "todo": "not implemented: the test reached a function still to be written",
    "panic": "kernel panic",
    "timeout": "no result in time",
    "build failure": "the submission did not compile",
}


@dataclass
class TestResult:
    name: str
    group: str
    max_score: float  # the test's share of its group's points (0 for regression tests)
    verdict: str
    time_s: float  # wall time of its boot (the longest one with --repeat)
    reason: str = ""  # one line: why it did not pass
    details: list[str] = field(default_factory=list)  # more lines: backtrace, assertion...
    log: str = ""  # the serial log of its (first failing) boot
    runs: list[str] = field(default_factory=list)  # each run's verdict (--repeat)
    visibility: str = "visible"  # Gradescope's: visible, hidden, after_due_date, ...
    pictures: str = ""  # the log of a re-run with memory-map snapshots (grader/pictures.py)

    @property
    def passed(self) -> bool:
        return self.verdict == "pass"

    @property
    def flaky(self) -> bool:
        """Different verdicts on different runs of the same code."""
        return len(set(self.runs)) > 1

    @property
    def score(self) -> float:
        return self.max_score if self.passed else 0.0


@dataclass
class GroupScore:
    group: str
    points: float  # the group's points in the rubric
    score: float  # earned among the tests graded
    max_score: float  # at stake among the tests graded (points, unless a selection)
    passed: int
    tests: int  # graded in this run
    size: int  # tests of the group in the whole rubric


@dataclass
class Grading:
    project: str
    groups: dict[str, float]  # every rubric group -> its points, in rubric order
    group_sizes: dict[str, int]  # group -> how many tests it has in the whole rubric
    tests: list[TestResult]
    build_error: str = ""  # compiler output when the submission did not build
    build_warnings: str = ""  # the compiler's warnings about the student's files
    refused: list[str] = field(default_factory=list)  # integrity checks that failed
    notes: list[str] = field(default_factory=list)  # submission report, empty groups...
    wall_s: float = 0.0
    log_dir: str = ""
    remarks: list[str] = field(default_factory=list)  # for the CSV status: missing files...
    boot_s: float | None = None  # how long the boot that listed the tests took

    def group_scores(self) -> list[GroupScore]:
        out = []
        for group, points in self.groups.items():
            members = [t for t in self.tests if t.group == group]
            size = self.group_sizes.get(group, 0)
            passed = sum(t.passed for t in members)
            if size == 0:
                out.append(GroupScore(group, points, 0.0, 0.0, 0, 0, 0))
                continue
            out.append(GroupScore(group, points, round(points * passed / size, 6),
                                  round(points * len(members) / size, 6), passed,
                                  len(members), size))
        return out

    @property
    def score(self) -> float:
        return round(sum(g.score for g in self.group_scores()), 6)

    @property
    def max_score(self) -> float:
        return round(sum(g.max_score for g in self.group_scores()), 6)

    @property
    def status(self) -> str:
        """For a CSV: "ok", "build failure" or "no tests", then any remarks."""
        status = "build failure" if self.build_error else "ok" if self.tests else "no tests"
        return "; ".join([status] + self.remarks)

    def flaky(self) -> list[TestResult]:
        return [t for t in self.tests if t.flaky]


def points(x: float) -> str:
    """3 -> "3", 5.384615 -> "5.38"."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def log_tail(path: str, lines: int) -> list[str]:
    """The last `lines` lines of a serial log (none if it cannot be read)."""
    try:
        with open(path, errors="replace") as f:
            return f.read().splitlines()[-lines:]
    except OSError:
        return []


def test_output(t: TestResult, tail: int = 0) -> str:
    """The text shown for one test: reason, details, log (with `tail`, for those who
    cannot open the logs: the last lines of the log of a test that did not pass, and no
    log path for one that passed)."""
    lines = []
    if not t.passed:
        lines.append(f"{t.verdict}: {t.reason}" if t.reason else t.verdict)
        lines += t.details
    if t.flaky:
        lines.append("flaky: verdicts " + ", ".join(t.runs))
    if t.log and tail and not t.passed and t.verdict != "build failure":
        lines.append(f"end of the console log ({os.path.basename(t.log)}):")
        lines += ["  " + line for line in log_tail(t.log, tail)]
    elif tail and t.passed:  # the log is on the grading machine, out of the reader's reach
        lines.append(f"passed in {t.time_s:.2f} s")
    elif t.log:
        lines.append(f"log: {t.log}")
    if t.pictures and tail and not t.passed:
        import pictures  # only here: it reads the kernel's console protocol
        lines += pictures.text(t.pictures)
    return "\n".join(lines)


def summary_lines(g: Grading) -> list[str]:
    lines = []
    for gs in g.group_scores():
        if gs.size == 0:
            if gs.points > 0:
                lines.append(f"{gs.group}: no tests yet ({points(gs.points)} points left out)")
            continue
        if gs.points > 0:
            lines.append(f"{gs.group}: {points(gs.score)}/{points(gs.max_score)} "
                         f"({gs.passed} of {gs.tests} tests passed)")
        else:
            lines.append(f"{gs.group}: {gs.passed} of {gs.tests} tests passed (no points)")
    lines.append(f"total: {points(g.score)}/{points(g.max_score)}")
    return lines


def gradescope(g: Grading, tail: int = 0) -> dict:
    """The results JSON Gradescope reads (score, tests[] with name, score, max_score,
    status, output, visibility), plus each test's verdict, time and group. `tail`: how
    many lines of a failed test's console log its output ends with."""
    output = "\n".join(summary_lines(g) + g.notes)
    if g.build_warnings:
        output = ("compiler warnings (they cost no points):\n" + g.build_warnings +
                  "\n\n" + output)
    if g.build_error:
        output = "build failure:\n" + g.build_error + "\n\n" + output
    return {
        "score": round(g.score, 4),
        "execution_time": round(g.wall_s, 1),
        "output": output,
        "visibility": "visible",
        "stdout_visibility": "visible",
        "tests": [{
            "name": t.name,
            "number": str(i + 1),
            "score": round(t.score, 4),
            "max_score": round(t.max_score, 4),
            "status": "passed" if t.passed else "failed",
            "output": test_output(t, tail),
            "tags": [t.group],
            "visibility": t.visibility,
            "verdict": t.verdict,
            "time": round(t.time_s, 2),
        } for i, t in enumerate(g.tests)],
        "extra_data": {
            "project": g.project,
            "max_score": round(g.max_score, 4),
            "rubrics": {gs.group: {"score": round(gs.score, 4),
                                   "max_score": round(gs.max_score, 4),
                                   "passed": gs.passed, "tests": gs.tests}
                        for gs in g.group_scores()},
            "flaky": [t.name for t in g.flaky()],
            "build_failure": bool(g.build_error),
            "refused": list(g.refused),
            "warnings": bool(g.build_warnings),
        },
    }


def write_json(g: Grading, path: str, tail: int = 0) -> None:
    """Writes the results JSON atomically (a reader never sees half a file)."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(gradescope(g, tail), f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


@dataclass
class Case:
    """One JUnit test case: `failure` is None when it passed, else (type, message)."""
    classname: str
    name: str
    time_s: float
    failure: tuple[str, str] | None = None
    text: str = ""  # the failure's body
    stdout: str = ""


def junit_xml(suites: dict[str, list[Case]], name: str) -> str:
    """JUnit XML (the dialect Jenkins, GitLab and GitHub reporters read)."""
    root = ET.Element("testsuites", name=name)
    total = failures = 0
    total_time = 0.0
    for suite_name, cases in suites.items():
        nfail = sum(c.failure is not None for c in cases)
        stime = sum(c.time_s for c in cases)
        suite = ET.SubElement(root, "testsuite", name=suite_name, tests=str(len(cases)),
                              failures=str(nfail), errors="0", skipped="0",
                              time=f"{stime:.3f}")
        for c in cases:
            case = ET.SubElement(suite, "testcase", classname=c.classname, name=c.name,
                                 time=f"{c.time_s:.3f}")
            if c.failure is not None:
                kind, message = c.failure
                failure = ET.SubElement(case, "failure", type=kind, message=message)
                failure.text = c.text
            if c.stdout:
                ET.SubElement(case, "system-out").text = c.stdout
        total, failures, total_time = total + len(cases), failures + nfail, total_time + stime
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("time", f"{total_time:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def junit(g: Grading) -> str:
    """A grading as JUnit XML: one suite per rubric group."""
    suites: dict[str, list[Case]] = {}
    for t in g.tests:
        failure = None if t.passed else (t.verdict, t.reason or t.verdict)
        suites.setdefault(t.group, []).append(Case(
            f"{g.project.split(':')[0]}.{t.group}", t.name, t.time_s, failure,
            "\n".join(t.details), f"log: {t.log}" if t.log else ""))
    return junit_xml(suites, g.project)


def write_junit(g: Grading, path: str) -> None:
    with open(path, "w") as f:
        f.write(junit(g))


def csv_header(groups: list[str]) -> list[str]:
    return ["name", "total", "max"] + groups + ["status"]


def csv_row(name: str, g: Grading | None, groups: list[str], status: str = "") -> list[str]:
    """One submission's row; `g` None (with a `status`) when it could not be graded."""
    if g is None:
        return [name, "0", ""] + ["0" for _ in groups] + [status]
    by_group = {gs.group: gs for gs in g.group_scores()}
    cells = []
    for grp in groups:
        gs = by_group.get(grp)
        if gs is None or (gs.points == 0 and gs.tests == 0):
            cells.append("0" if gs is None else "-")
        elif gs.points == 0:  # a regression group: how many of its tests passed
            cells.append(f"{gs.passed}/{gs.tests} passed")
        else:
            cells.append(points(gs.score))
    return [name, points(g.score), points(g.max_score)] + cells + [status or g.status]


def csv_text(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()
