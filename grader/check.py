#!/usr/bin/env python3
"""Everything CI checks (`make test`): the host unit tests (Catch2, and the runner's own
Python tests), then the kernel tests in several boots run in parallel. In the staff tree
there are two kernels, the reference solution of project 3 and the student's skeleton:

  solution/smp4/*  every kernel test at 4 CPUs (one boot; expected-panic tests one each)
  solution/smp1/*  every ordinary kernel test at 1 CPU
  solution/smp2/*, smp8/*  the CPU, IPI, timer and TLB tests at 2 and 8 CPUs, and the
                   project's graded tests (project3/rubric.json) at 2 CPUs
  student/smp4/*   the skeleton passes every test that carries no points
  student/NAME     each graded test alone: the skeleton must stop at a student stub
                   ("not implemented"), never fail otherwise, hang or panic

In the handout (no solution), the student kernel gets the solution's full check.

Each kernel boot's serial log is kept under build/test/. The last line is the plain
summary `N passed, M failed`; the exit status is 0 only if nothing failed.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import fnmatch
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktest  # noqa: E402
import rubric as rubric_mod  # noqa: E402

LOG_DIR = os.path.join("build", "test")
SMP_TESTS = ("smp_*", "timer_*", "tlb_*", "thread_runs_on_every_cpu")
# Tests that need more than one CPU; left out of the 1-CPU boot.
MULTI_CPU_TESTS = ("tlb_shootdown_reaches_other_cpu", "cow_tlb_cross_cpu")


def run_unit(binary: str) -> tuple[int, int, str]:
    """Runs the Catch2 binary; returns (passed, failed, output) counted in test cases."""
    proc = subprocess.run([binary], capture_output=True, text=True)
    out = proc.stdout + proc.stderr
    m = re.search(r"All tests passed \(\d+ assertions? in (\d+) test cases?\)", out)
    if m and proc.returncode == 0:
        return int(m.group(1)), 0, out
    m = re.search(r"test cases:\s*(\d+)\s*\|\s*(\d+) passed\s*\|\s*(\d+) failed", out)
    if m:
        return int(m.group(2)), max(int(m.group(3)), 1 if proc.returncode else 0), out
    return 0, 1, out  # crashed before Catch2 could summarise (e.g. a sanitizer report)


def run_python_tests() -> tuple[int, int, str]:
    """The runner's own unit tests (grader/test_*.py); returns (passed, failed, output)."""
    import io
    import unittest
    stream = io.StringIO()
    suite = unittest.defaultTestLoader.discover(os.path.dirname(os.path.abspath(__file__)),
                                                pattern="test_*.py")
    result = unittest.TextTestRunner(stream=stream, verbosity=1).run(suite)
    failed = len(result.failures) + len(result.errors)
    return result.testsRun - failed, failed, stream.getvalue()


def list_tests(args, iso: str, variant: str) -> list[tuple[str, str | None]]:
    boot = ktest.Boot(iso, ncpu=1, mem=args.mem, cmdline="test.list quiet",
                      timeout=args.timeout, kvm=args.kvm,
                      log_path=os.path.join(LOG_DIR, f"{variant}-list.log"))
    result = ktest.run(boot)
    if not result.listed:
        sys.exit(f"check: the {variant} kernel listed no tests; see {boot.log_path}")
    return result.listed


def select(names: list[str], globs: list[str]) -> list[str]:
    return [n for n in names if any(fnmatch.fnmatchcase(n, g) for g in globs)]


@dataclass
class PlannedBoot:
    label: str
    boot: ktest.Boot
    tests: list[str]
    expect_panic: dict[str, str]
    expect_todo: bool = False  # the tests must stop at a student stub (the skeleton)


def boot_timeout(args, tests: list[str], rubric: rubric_mod.Rubric | None) -> float:
    """Room for every test's own rubric timeout (tests outside the rubric: 10 s)."""
    total = args.timeout
    for name in tests:
        t = rubric.find(name) if rubric else None
        total += t.timeout if t else 10
    return total


def plan(args, variant: str, iso: str, listed, rubric, role: str) -> list[PlannedBoot]:
    """The boots for one kernel variant. role "full": every test at 4 and 1 CPUs and the
    SMP and project tests at 2 (and 8) CPUs; role "skeleton": the tests that do not carry
    points at 4 CPUs, and each graded test alone, where it must stop at a student stub."""
    globs = args.tests.replace(",", " ").split() if args.tests else ["*"]
    names = select([n for n, _ in listed], globs)
    panics = {n: text for n, text in listed if text is not None and n in names}
    ordinary = [n for n in names if n not in panics]
    graded = set(rubric.names(graded=True)) if rubric else set()
    boots: list[PlannedBoot] = []

    def add(label, ncpu, tests, expect=None, todo=False, timeout=None):
        if not tests:
            return
        cmdline = f"quiet test={','.join(tests)} expect_cpus={ncpu}"
        boot = ktest.Boot(iso, ncpu=ncpu, mem=args.mem, cmdline=cmdline,
                          timeout=timeout or boot_timeout(args, tests, rubric), kvm=args.kvm,
                          log_path=os.path.join(LOG_DIR, f"{variant}-{label}.log"))
        boots.append(PlannedBoot(f"{variant}/{label}", boot, tests, expect or {}, todo))

    if role == "skeleton":
        add("smp4", 4, [n for n in ordinary if n not in graded])
        for name in ordinary:
            if name in graded:
                add(name, 4, [name], todo=True, timeout=args.timeout)
    else:
        add("smp4", 4, ordinary)
        add("smp1", 1, [n for n in ordinary if n not in MULTI_CPU_TESTS])
        add("smp2", 2, select(ordinary, list(SMP_TESTS)) +
            [n for n in ordinary if n in graded and n not in SMP_TESTS])
        add("smp8", 8, select(ordinary, list(SMP_TESTS)))
    for name, text in panics.items():
        add(f"smp4-{name}", 4, [name], {name: text})
    return boots


def report(planned: PlannedBoot, result: ktest.BootResult) -> tuple[int, int]:
    """Prints one boot's verdicts; returns (passed, failed)."""
    passed = failed = 0
    runs = ktest.judge(result, planned.tests, planned.expect_panic)
    first = (f", first test after {result.first_test_s:.2f} s"
             if result.first_test_s is not None else "")
    boot = planned.boot
    print(f"{planned.label}: {boot.ncpu} CPU(s), {result.wall_s:.1f} s{first}, "
          f"log {boot.log_path}")
    if result.cpus is not None and result.cpus != boot.ncpu:
        print(f"  FAIL {planned.label}: booted {result.cpus} CPUs, asked for {boot.ncpu}")
        failed += 1
    for r in runs:
        ms = f"{r.ms} ms" if r.ms is not None else "-"
        if planned.expect_todo:
            ok = r.verdict == "todo"
            if not ok:
                r.reason = (f"the skeleton must stop at a student stub (not implemented), "
                            f"got {r.verdict}: {r.reason}")
        else:
            ok = r.verdict == "pass"
        mark = "ok  " if ok else r.verdict.upper()
        note = f"  [{r.reason}]" if ok and planned.expect_todo else ""
        print(f"  {mark:<7} {planned.label.rsplit('/', 1)[0]}/{r.name} ({ms}){note}")
        if not ok:
            print(f"          {r.reason}")
            failed += 1
        else:
            passed += 1
    return passed, failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iso", required=True, help="the student variant's ISO")
    parser.add_argument("--solution-iso", help="the reference solution's ISO (staff tree)")
    parser.add_argument("--rubric", help="the project's rubric (project3/rubric.json)")
    parser.add_argument("--unit", help="the Catch2 unit-test binary")
    parser.add_argument("--mem", default="512M")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds per boot, plus each test's rubric timeout")
    parser.add_argument("--tests", default="", help="kernel tests to run (globs)")
    parser.add_argument("--kvm", action="store_true")
    args = parser.parse_args()
    os.makedirs(LOG_DIR, exist_ok=True)
    passed = failed = 0

    if args.unit:
        up, uf, out = run_unit(args.unit)
        print(f"unit: {up} passed, {uf} failed (Catch2 test cases)")
        if uf:
            print(out)
        passed, failed = passed + up, failed + uf
        pp, pf, out = run_python_tests()
        print(f"runner: {pp} passed, {pf} failed (Python unit tests)")
        if pf:
            print(out)
        passed, failed = passed + pp, failed + pf

    # With a reference solution (the staff tree), it gets the full check and the student
    # variant must be the untouched skeleton; without one (the handout), the student
    # variant gets the full check.
    variants = [("student", args.iso, "full")]
    if args.solution_iso:
        variants = [("solution", args.solution_iso, "full"), ("student", args.iso, "skeleton")]
    boots: list[PlannedBoot] = []
    for variant, iso, role in variants:
        listed = list_tests(args, iso, variant)
        rubric = None
        if args.rubric:
            try:
                rubric = rubric_mod.load(args.rubric, [n for n, _ in listed])
            except rubric_mod.RubricError as e:
                print(f"  FAIL rubric: {e}")
                failed += 1
        boots += plan(args, variant, iso, listed, rubric, role)

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(ktest.run, p.boot): p.label for p in boots}
        results = {futures[f]: f.result() for f in concurrent.futures.as_completed(futures)}
    for planned in boots:
        p, f = report(planned, results[planned.label])
        passed, failed = passed + p, failed + f
    print(f"kernel boots took {time.monotonic() - started:.1f} s with {args.jobs} in parallel")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
