"""`make run`'s kernel-test mode: every selected test, one readable line each, and a
summary that says what is left to do.

The provided kernel's tests run first and the assignment's (the rubric's graded tests)
last, each group in name order (`test.last=` on the kernel command line). A test whose
user process reaches an unwritten assignment function ends as "not implemented yet" and
the boot goes on (keos/include/keos/todo.hpp). Where a stub, a panic or a time-out stops
the kernel instead, the runner boots again for the tests after that one
(`test.after=NAME`), so one stub never hides the rest.

The console shows one line per test (verdict, name, time, and why it did not pass) and
the kernel's own messages; the `@@` protocol lines stay between the kernel and the runner
unless `verbose` (`make run V=1`) shows every line as it comes. The exit status is 0 when
nothing failed, panicked or timed out, tests waiting for the student's functions aside.
Python standard library only.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

import ktest
import reference_times
import report
import rubric as rubric_mod
from reference_times import REFERENCE_FACTOR, REFERENCE_FLOOR_S

MANUAL = "docs/project3.md"
_LABELS = {"pass": "PASS", "fail": "FAIL", "leak": "LEAK", "todo": "TODO", "panic": "PANIC",
           "timeout": "TIMEOUT", "missing": "MISSING"}


@dataclass
class Outcome:
    """What the tests of a `make run` came to."""
    runs: list[ktest.TestRun] = field(default_factory=list)
    boots: int = 0
    stopped: str = ""  # why the last boot ended early, if it did and nothing was left to run

    def counts(self) -> Counter:
        return Counter(r.verdict for r in self.runs)

    def todo_by_function(self) -> list[tuple[str, int]]:
        """(function, how many tests wait for it), most first, then by name."""
        c = Counter(function_of(r.reason) for r in self.runs if r.verdict == "todo")
        return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))

    def ok(self) -> bool:
        return not self.stopped and all(r.verdict in ("pass", "todo") for r in self.runs)


def function_of(reason: str) -> str:
    """`not implemented: F (FILE:LINE)` -> F."""
    text = reason.removeprefix("not implemented: ")
    return text.split(" (", 1)[0] or "?"


def graded_globs(rubric_path: str) -> list[str]:
    """The names and globs of the tests that carry points in the rubric, or [] if none."""
    if not rubric_path:
        return []
    try:
        r = rubric_mod.load(rubric_path, None)
    except rubric_mod.RubricError:
        return []
    return [t.name for t in r.tests if t.graded]


# A test of `make run` may run REFERENCE_FACTOR times the reference solution's time for
# it, at least REFERENCE_FLOOR_S (as in grading), a test without a reference time
# OTHER_TEST_LIMIT_S; all of it times TIMEOUT_SCALE (a slow machine). A test over its time
# ends as TIMEOUT, with where the CPUs were, and the run goes on after it: a student's
# endless loop costs seconds, not the whole boot's time per test.
OTHER_TEST_LIMIT_S = 60.0


def test_limits(rubric_path: str, scale: float = 1.0) -> tuple[dict[str, float], float]:
    """Seconds per test with a reference time, and for any other test."""
    times: dict[str, float] = {}
    if rubric_path:
        try:
            r = rubric_mod.load(rubric_path, None)
            if r.reference_times:
                times, _ = reference_times.read(r.reference_times)
        except (rubric_mod.RubricError, reference_times.ReferenceTimesError):
            times = {}
    limits = {name: max(REFERENCE_FACTOR * t, REFERENCE_FLOOR_S) * scale
              for name, t in times.items()}
    return limits, OTHER_TEST_LIMIT_S * scale


class Printer:
    """Turns console lines into what a person reads: one line per finished test, and the
    kernel's messages where they help: those of a test that did not pass (its panic
    report included) after its line, warnings outside tests as they come. Nothing of the
    protocol. With `verbose`, every line as it comes instead."""

    def __init__(self, out: TextIO, colour: bool, verbose: bool):
        self.out, self.paint, self.verbose = out, report.Paint(colour), verbose
        self.held: list[str] = []  # the running test's kernel messages
        self.in_test = False

    def line(self, text: str) -> None:
        if self.verbose:
            print(text, file=self.out, flush=True)
            return
        if text.startswith("@@ ktest start "):
            self.in_test, self.held = True, []
        elif not text.startswith("@@ "):
            if self.in_test:
                self.held.append(text)
            elif " info: " not in text:
                print(text, file=self.out, flush=True)
        elif text.startswith(("@@ ktest pass ", "@@ ktest fail ", "@@ ktest todo ")):
            head, _, reason = text.partition(" :: ")
            _, _, action, name, *fields = head.split(" ")
            ms = dict(f.split("=", 1) for f in fields if "=" in f).get("ms")
            run = ktest.TestRun(name, verdict=action, ms=int(ms) if ms else None)
            run.reason = ("not implemented: " + ktest.todo_text(reason) if action == "todo"
                          else reason)
            self.test(run)

    def test(self, run: ktest.TestRun) -> None:
        """One line for a finished test (and its kernel messages, if it did not pass)."""
        self.in_test = False
        held, self.held = self.held, []
        label = _LABELS.get(run.verdict, run.verdict.upper())
        style = run.verdict if run.verdict in ("pass", "todo") else "fail"
        took = f"{run.ms / 1000:.2f} s" if run.ms is not None else ""
        head = f"  {self.paint(f'{label:<7}', style)} {run.name:<34} {took:>8}"
        if run.verdict == "pass":
            print(head, file=self.out, flush=True)
        elif run.verdict == "todo":
            function = run.reason.removeprefix("not implemented: ")
            print(f"{head}  not implemented yet: {function}", file=self.out, flush=True)
        else:
            print(f"{head}  {run.reason}", file=self.out, flush=True)
            for text in held:
                print(f"      | {text}", file=self.out, flush=True)


def run_tests(boot: ktest.Boot, graded: list[str], out: TextIO = sys.stdout,
              colour: bool | None = None, verbose: bool = False) -> Outcome:
    """Runs every test `boot.cmdline` selects (the graded ones last), booting again after
    a test that stopped the kernel. Prints as it goes; returns what happened."""
    printer = Printer(out, report.use_colour(out) if colour is None else colour, verbose)
    if not verbose:
        print(f"make run: {os.path.basename(boot.iso)}, {boot.ncpu} CPUs, {boot.mem}; the "
              "provided kernel's tests first, the assignment's last (V=1 shows the whole "
              "console)", file=out, flush=True)
    base = boot.cmdline + (f" test.last={','.join(graded)}" if graded else "")
    outcome = Outcome()
    after = ""
    while True:
        boot.cmdline = base + (f" test.after={after}" if after else "")
        outcome.boots += 1
        result = ktest.run(boot, echo=printer.line)
        finished = [name for name in result.started if name in result.ended]
        outcome.runs += ktest.judge(result, finished)
        unfinished = [name for name in result.started if name not in result.ended]
        if result.summary is not None or not unfinished:
            if result.summary is None:  # stopped before any test, or between two
                outcome.stopped = _why_stopped(result)
            return outcome
        # The kernel stopped inside a test: judge it, then boot again after it.
        last = ktest.judge(result, unfinished[-1:])[0]
        outcome.runs.append(last)
        printer.test(last)
        after = last.name


def _why_stopped(result: ktest.BootResult) -> str:
    if result.timed_out:
        return "the boot timed out before the first test"
    if result.panic is not None:
        return f"the kernel panicked: {result.panic.message}"
    return f"the kernel stopped (exit status {result.exit_status})"


def print_summary(outcome: Outcome, seconds: float, out: TextIO = sys.stdout,
                  colour: bool | None = None) -> None:
    paint = report.Paint(report.use_colour(out) if colour is None else colour)
    c = outcome.counts()
    total = len(outcome.runs)
    failed = total - c["pass"] - c["todo"]
    boots = f", {outcome.boots} boots" if outcome.boots > 1 else ""
    print(f"\nmake run: {total} test{'s' if total != 1 else ''} in {seconds:.0f} s{boots}: "
          f"{paint(str(c['pass']) + ' passed', 'pass')}, "
          f"{paint(str(failed) + ' failed', 'fail' if failed else 'dim')}, "
          f"{paint(str(c['todo']) + ' not implemented yet', 'todo' if c['todo'] else 'dim')}",
          file=out)
    if failed:
        print("  failed: " + ", ".join(r.name for r in outcome.runs
                                       if r.verdict not in ("pass", "todo")), file=out)
    if outcome.stopped:
        print(f"  {outcome.stopped}", file=out)
    todo = outcome.todo_by_function()
    if todo:
        print("  not implemented yet, by function:", file=out)
        width = max(len(f) for f, _ in todo)
        for function, n in todo:
            print(f"    {function:<{width}}  {n} test{'s' if n != 1 else ''}", file=out)
        print(f"  Where to start: {MANUAL} (the assignment), then project3/fork.cpp.",
              file=out)
    elif total and not failed and not outcome.stopped:
        print("  Every test passed.", file=out)
    out.flush()


def main_run(boot: ktest.Boot, rubric_path: str, verbose: bool, scale: float = 1.0) -> int:
    """`make run` without PROG: the exit status (0: nothing failed but stubs)."""
    boot.test_timeouts, boot.test_timeout = test_limits(rubric_path, scale)
    start = time.monotonic()
    outcome = run_tests(boot, graded_globs(rubric_path), verbose=verbose)
    print_summary(outcome, time.monotonic() - start)
    return 0 if outcome.ok() else 1


@dataclass
class Summary:
    """What a `make run` summary says (parse_summary)."""
    tests: int
    passed: int
    failed: int
    todo: int
    by_function: dict[str, int]


_SUMMARY = re.compile(r"^make run: (\d+) tests? in \d+ s(?:, \d+ boots)?: (\d+) passed, "
                      r"(\d+) failed, (\d+) not implemented yet$")
_FUNCTION = re.compile(r"^    (\S+)\s+(\d+) tests?$")


def parse_summary(text: str) -> Summary | None:
    """The summary at the end of `make run`'s output (colour codes removed), or None."""
    plain = re.sub(r"\033\[[0-9;]*m", "", text).splitlines()
    for i, line in enumerate(plain):
        m = _SUMMARY.match(line)
        if m is None:
            continue
        by_function = {}
        for rest in plain[i + 1:]:
            f = _FUNCTION.match(rest)
            if f is not None:
                by_function[f.group(1)] = int(f.group(2))
        n, passed, failed, todo = (int(g) for g in m.groups())
        return Summary(n, passed, failed, todo, by_function)
    return None
