"""What the grader prints: a live progress line while boots run, then the table of tests,
verdicts, times and points, the score per rubric and the total, and one short reason per
test that did not pass. Colour only on a terminal (and never with NO_COLOR set).
Python standard library only.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

from results import Grading, TestResult, points, summary_lines

_COLOURS = {"pass": "32", "todo": "33", "flaky": "35", "bold": "1", "dim": "2"}


def use_colour(stream: TextIO, mode: str = "auto") -> bool:
    """mode "always", "never" or "auto" (a terminal, and NO_COLOR unset)."""
    if mode != "auto":
        return mode == "always"
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


class Paint:
    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, text: str, style: str) -> str:
        if not self.enabled:
            return text
        code = _COLOURS.get(style, "31")  # any other verdict: red
        return f"\033[{code}m{text}\033[0m"


class Progress:
    """One line, rewritten in place: `grade: 5/22 done, 2 running, 1 failed  [cow_x]`.
    Disabled (silent) when the stream is not a terminal."""

    def __init__(self, total: int, stream: TextIO = sys.stderr, enabled: bool | None = None,
                 label: str = "grade"):
        self.total, self.stream, self.label = total, stream, label
        self.enabled = stream.isatty() if enabled is None else enabled
        self.done = self.failed = 0
        self.running: list[str] = []

    def start(self, name: str) -> None:
        self.running.append(name)
        self._draw()

    def finish(self, name: str, ok: bool) -> None:
        if name in self.running:
            self.running.remove(name)
        self.done += 1
        self.failed += 0 if ok else 1
        self._draw()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()

    def _draw(self) -> None:
        if not self.enabled:
            return
        line = (f"{self.label}: {self.done}/{self.total} done, {len(self.running)} running, "
                f"{self.failed} failed")
        if self.running:
            line += "  [" + " ".join(self.running) + "]"
        width = 0
        try:
            width = os.get_terminal_size(self.stream.fileno()).columns - 1
        except (OSError, ValueError):
            pass
        if width < 20:  # unknown (0), or too narrow to cut sensibly
            width = 200
        self.stream.write("\r\033[K" + line[:width])
        self.stream.flush()


def table(g: Grading, paint: Paint) -> list[str]:
    """The table: test, group, verdict, time, points; then groups and the total."""
    rows = [("test", "rubric", "verdict", "time", "points")]
    for t in g.tests:
        verdict = t.verdict + (f" (flaky: {t.runs.count('pass')}/{len(t.runs)} passed)"
                               if t.flaky else "")
        score = f"{points(t.score)}/{points(t.max_score)}" if t.max_score > 0 else "-"
        time_s = "-" if t.verdict == "build failure" else f"{t.time_s:.1f}s"
        rows.append((t.name, t.group, verdict, time_s, score))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    out = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2].ljust(widths[2]),
                 row[3].rjust(widths[3]), row[4].rjust(widths[4])]
        if n == 0:
            out.append(paint("  ".join(cells).rstrip(), "bold"))
            continue
        t = g.tests[n - 1]
        cells[2] = paint(cells[2], "flaky" if t.flaky else t.verdict)
        out.append("  ".join(cells).rstrip())
    out.append("")
    for line in summary_lines(g):
        out.append(paint(line, "bold") if line.startswith("total") else line)
    return out


def _failure_lines(t: TestResult) -> list[str]:
    lines = [f"{t.name}: {t.verdict}: {t.reason}" if t.reason else f"{t.name}: {t.verdict}"]
    lines += ["    " + d for d in t.details]
    if t.log:
        lines.append(f"    log: {t.log}")
    return lines


def failures(g: Grading, paint: Paint) -> list[str]:
    """One short block per test that did not pass. Tests that only reached unwritten
    functions are listed together, per function."""
    out: list[str] = []
    failed = [t for t in g.tests if not t.passed and t.verdict not in ("todo", "build failure")]
    todo: dict[str, list[str]] = {}
    for t in g.tests:
        if t.verdict == "todo":
            todo.setdefault(t.reason, []).append(t.name)
    if g.build_error:
        out.append(paint("Build failure", "fail") + " (every test scores 0):")
        out += ["    " + line for line in g.build_error.splitlines()]
    if g.build_warnings:
        out.append(paint("Compiler warnings", "todo") + " (they cost no points, but read "
                   "them: most point at a bug):")
        out += ["    " + line for line in g.build_warnings.splitlines()]
    if failed:
        out.append(paint("Failures", "fail") + ":")
        for t in failed:
            out += ["  " + line for line in _failure_lines(t)]
    if todo:
        out.append(paint("Not implemented yet", "todo") + ":")
        for reason, names in todo.items():
            out.append(f"  {reason}: {', '.join(names)}")
    flaky = [t for t in g.tests if t.flaky]
    repeated = [t for t in g.tests if t.runs]
    if repeated and not flaky:
        out.append(f"No flaky test: every test had the same verdict on each of its "
                   f"{len(repeated[0].runs)} runs.")
    if flaky:
        out.append(paint("Flaky", "flaky") + " (different verdicts on repeated runs):")
        for t in flaky:
            out.append(f"  {t.name}: {', '.join(t.runs)}")
    return out


def print_grading(g: Grading, stream: TextIO = sys.stdout, colour: str = "auto") -> None:
    paint = Paint(use_colour(stream, colour))
    lines = table(g, paint)
    more = failures(g, paint)
    if more:
        lines += [""] + more
    if g.notes:
        lines += [""] + g.notes
    if g.log_dir:
        lines += ["", f"Serial logs of every test: {g.log_dir}/"]
    stream.write("\n".join(lines) + "\n")
    stream.flush()
