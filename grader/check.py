#!/usr/bin/env python3
"""Everything CI checks (`make test`). In the staff tree there are two kernels, the
reference solution of project 3 and the student's skeleton:

  unit                 the Catch2 host tests and the grader's own Python tests
  solution/smp4/*      every kernel test at 4 CPUs (one boot; expected-panic tests one each)
  solution/smp1/*      every ordinary kernel test at 1 CPU
  solution/smp2/*, smp8/*  the CPU, IPI, timer and TLB tests at 2 and 8 CPUs, and the
                       project's graded tests (project3/rubric.json) at 2 CPUs
  student/smp4/*       the skeleton passes every test that carries no points
  grade-solution/*     the autograder (grade.py) gives the solution every point: each
                       rubric test in its own boot, results in build/grade/
  handout/*            `make handout`, unpacked in a temporary directory, built there from
                       scratch and graded with its own `make grade`: every graded test
                       "not implemented" (todo), every regression test passed, score 0,
                       make grade exits non-zero; no staff-only file in it
  gradescope/*         `make gradescope`'s bundle (no staff-only file), laid out as
                       Gradescope does on the handout's build, grades the solution: 100
  gradescope-chroot/*  the same bundle in a fresh Debian root (debootstrap, kept in
                       /var/tmp/keos-gs-base for the next run, copied for each): its
                       setup.sh, then run_autograder on the solution (100/100) and on the
                       handout's skeleton (0/100, every graded test "not implemented");
                       needs root (skipped, and says so, without it)
  bench-smoke          the benchmarks at tiny sizes on the solution: every metric arrives
  compat/*             the KeOS compatibility suite (grader/compat.py): kelibc's headers,
                       and course-style programs (on the solution; forking ones skipped
                       where there is none); with TESTS, only if TESTS names "compat"
  memmap/*             `make memmap PROG=cow_data SOLUTION=1`: the page's pictures match the
                       console log (fork shares every page read-only, copies marked, no
                       external resource); sys_memmap's argument errors with snapshots on;
                       the skeleton's page says fork is not implemented; the page in
                       headless Chromium (installed by scripts/setup.sh browser, or the
                       check says it is skipped): no script error, the log's processes and
                       shared frames, a screenshot in build/test/memmap/; with TESTS, only
                       if TESTS names "memmap"
  compdb/*             `make compdb`'s database covers every compiled file with its kind's
                       compiler and flags; clangd --check finds no error in the student's
                       file, a unit test and a user program (grader/check_toolchain.py)
  prefixed/*           a real build with CROSS=x86_64-elf- (in a copy of the tree) calls
                       no unprefixed toolchain program; the unit tests use HOSTCXX
  broken-NAME/*        each deliberately broken solution (project3/broken/NAME.patch applied
                       to the solution) graded as a submission must lose points and fail
                       the tests its `Must lose:` line names (graded tests with the
                       default timeout only: the long stress tests would just time out)
  cheat-NAME/*         crafted submissions (grader/cheating.py: the solution included by a
                       relative or an absolute path, a console print, inline assembly, a
                       smuggled .incbin, a global constructor) are refused with their reason
  cheat-forged-todo/*  the skeleton with protocol lines in a KEOS_TODO text passes nothing
  hanging-fork/*       the skeleton with an endless loop in fork: fork_basic times out in
                       seconds, and the reason names the function and line it spun in
  warning-not-zero/*   the solution plus an unused variable scores full marks and the
                       warning is shown

With TESTS (a selection) the handout and broken solutions are skipped, and compdb and
prefixed run only if TESTS names them; the selected
rubric tests are graded on the solution (must pass) and on the skeleton (must be todo or,
for regression tests, pass). In the handout (no solution), the student kernel gets the
solution's kernel-test check and nothing is graded.

Logs: build/test/ (every boot's serial log, build/test/junit.xml for all the checks) and
build/grade/ (the solution's grading: results.json, junit.xml, one log per test). The
last line is the plain summary `N passed, M failed`; the exit status is 0 only if
nothing failed.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_gradescope  # noqa: E402
import check_grading  # noqa: E402
import check_memmap  # noqa: E402
import check_toolchain  # noqa: E402
import compat  # noqa: E402
import grade  # noqa: E402
import ktest  # noqa: E402
import report  # noqa: E402
import results  # noqa: E402
import rubric as rubric_mod  # noqa: E402
from tally import Tally  # noqa: E402

LOG_DIR = os.path.join("build", "test")
SMP_TESTS = ("smp_*", "timer_*", "tlb_*", "thread_runs_on_every_cpu")
# Tests that need more than one CPU; left out of the 1-CPU boot.
MULTI_CPU_TESTS = ("tlb_shootdown_reaches_other_cpu", "cow_tlb_cross_cpu")


# ---------------------------------------------------------------------------------------
# Unit tests


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


# The host scripts' own unit tests: the grader's and the benchmarks' (test_*.py in each).
PYTHON_TEST_DIRS = ("grader", "bench")


def run_python_tests() -> tuple[int, int, str]:
    """The host scripts' own unit tests (grader/test_*.py, bench/test_*.py); returns
    (passed, failed, output)."""
    import io
    import unittest
    stream = io.StringIO()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    suite = unittest.TestSuite(
        unittest.defaultTestLoader.discover(os.path.join(root, d), pattern="test_*.py",
                                            top_level_dir=os.path.join(root, d))
        for d in PYTHON_TEST_DIRS)
    result = unittest.TextTestRunner(stream=stream, verbosity=1).run(suite)
    failed = len(result.failures) + len(result.errors)
    return result.testsRun - failed, failed, stream.getvalue()


# ---------------------------------------------------------------------------------------
# Kernel tests in shared boots


def list_tests(args, iso: str, variant: str, tally: Tally) -> list[tuple[str, str | None]]:
    """The kernel's tests. Every other boot of make test starts the kernel directly
    (QEMU's -kernel, Multiboot 1); the student kernel's listing boot takes the ISO through
    the firmware and GRUB (Multiboot 2), the way `make run` does with KEOS_BOOT=iso."""
    log = os.path.join(LOG_DIR, f"{variant}-list.log")
    through_grub = variant == "student"
    listed = ktest.list_tests(iso, mem=args.mem, timeout=args.timeout, kvm=args.kvm,
                              log_path=log, direct=not through_grub).listed
    if through_grub:
        with open(log) as f:
            grub = " -cdrom " in f.readline()
        tally.check("boot", "the ISO boots through GRUB (Multiboot 2) and lists the tests",
                    grub and bool(listed), f"see {log}")
    if not listed:
        sys.exit(f"check: the {variant} kernel listed no tests; see {log}")
    return listed


def select(names: list[str], globs: list[str]) -> list[str]:
    return [n for n in names if any(fnmatch.fnmatchcase(n, g) for g in globs)]


@dataclass
class PlannedBoot:
    label: str
    boot: ktest.Boot
    tests: list[str]
    expect_panic: dict[str, str]


def boot_timeout(args, tests: list[str], rubric: rubric_mod.Rubric | None) -> float:
    """Room for every test's own rubric timeout (tests outside the rubric: 10 s)."""
    total = args.timeout
    for name in tests:
        t = rubric.find(name) if rubric else None
        total += t.timeout if t else 10
    return total


def plan(args, variant: str, iso: str, listed, rubric, role: str) -> list[PlannedBoot]:
    """The boots for one kernel variant. role "full": every test at 4 and 1 CPUs and the
    SMP and project tests at 2 (and 8) CPUs; role "skeleton": the tests that carry no
    points at 4 CPUs (the graded ones are graded, see check_grading.grade_skeleton)."""
    globs = grade.split_globs(args.tests) or ["*"]
    names = select([n for n, _ in listed], globs)
    panics = {n: text for n, text in listed if text is not None and n in names}
    ordinary = [n for n in names if n not in panics]
    graded = set(rubric.names(graded=True)) if rubric else set()
    boots: list[PlannedBoot] = []

    def add(label, ncpu, tests, expect=None):
        if not tests:
            return
        cmdline = f"quiet test={','.join(tests)} expect_cpus={ncpu}"
        boot = ktest.Boot(iso, ncpu=ncpu, mem=args.mem, cmdline=cmdline,
                          timeout=boot_timeout(args, tests, rubric), kvm=args.kvm,
                          log_path=os.path.join(LOG_DIR, f"{variant}-{label}.log"))
        boots.append(PlannedBoot(f"{variant}/{label}", boot, tests, expect or {}))

    if role == "skeleton":
        add("smp4", 4, [n for n in ordinary if n not in graded])
    else:
        add("smp4", 4, ordinary)
        add("smp1", 1, [n for n in ordinary if n not in MULTI_CPU_TESTS])
        add("smp2", 2, select(ordinary, list(SMP_TESTS)) +
            [n for n in ordinary if n in graded and n not in SMP_TESTS])
        add("smp8", 8, select(ordinary, list(SMP_TESTS)))
    for name, text in panics.items():
        add(f"smp4-{name}", 4, [name], {name: text})
    return boots


def report_boot(planned: PlannedBoot, result: ktest.BootResult, tally: Tally) -> None:
    runs = ktest.judge(result, planned.tests, planned.expect_panic)
    first = (f", first test after {result.first_test_s:.2f} s"
             if result.first_test_s is not None else "")
    boot = planned.boot
    print(f"{planned.label}: {boot.ncpu} CPU(s), {result.wall_s:.1f} s{first}, "
          f"log {boot.log_path}")
    suite = planned.label.split("/")[0]
    if result.cpus is not None and result.cpus != boot.ncpu:
        tally.check(suite, f"{planned.label} CPUs", False,
                    f"booted {result.cpus} CPUs, asked for {boot.ncpu}")
    for r in runs:
        ms = f"{r.ms} ms" if r.ms is not None else "-"
        name = f"{planned.label.rsplit('/', 1)[-1]}/{r.name}"
        ok = r.verdict == "pass"
        tally.check(suite, name, ok, f"{r.verdict}: {r.reason} (log {boot.log_path})",
                    (r.ms or 0) / 1000, quiet=True)
        if ok:
            print(f"  ok      {suite}/{name} ({ms})")


def run_kernel_tests(args, tally: Tally) -> dict[str, rubric_mod.Rubric | None]:
    """The shared boots of both variants; returns each variant's rubric."""
    variants = [("student", args.iso, "full")]
    if args.solution_iso:
        variants = [("solution", args.solution_iso, "full"), ("student", args.iso, "skeleton")]
    boots: list[PlannedBoot] = []
    rubrics: dict[str, rubric_mod.Rubric | None] = {}
    for variant, iso, role in variants:
        listed = list_tests(args, iso, variant, tally)
        rubrics[variant] = None
        if args.rubric:
            try:
                rubrics[variant] = rubric_mod.load(args.rubric, [n for n, _ in listed])
            except rubric_mod.RubricError as e:
                tally.check("rubric", variant, False, str(e))
        boots += plan(args, variant, iso, listed, rubrics[variant], role)
    started = time.monotonic()
    progress = report.Progress(len(boots), label="check")
    outcomes = ktest.run_all(
        [p.boot for p in boots], args.jobs, lambda i: progress.start(boots[i].label),
        lambda i, r: progress.finish(boots[i].label, r.exit_status == ktest.EXIT_SUCCESS))
    progress.close()
    for planned, result in zip(boots, outcomes):
        report_boot(planned, result, tally)
    print(f"kernel boots took {time.monotonic() - started:.1f} s with {args.jobs} in parallel")
    return rubrics
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
    parser.add_argument("--junit", default=os.path.join(LOG_DIR, "junit.xml"))
    args = parser.parse_args()
    os.makedirs(LOG_DIR, exist_ok=True)
    tally = Tally()
    started = time.monotonic()

    if args.unit:
        up, uf, out = run_unit(args.unit)
        print(f"unit: {up} passed, {uf} failed (Catch2 test cases)")
        if uf:
            print(out)
        tally.count("unit", up, uf, out)
        pp, pf, out = run_python_tests()
        print(f"grader: {pp} passed, {pf} failed (Python unit tests)")
        if pf:
            print(out)
        tally.count("grader", pp, pf, out)

    selection = grade.split_globs(args.tests)
    if not selection or "compdb" in selection:
        check_toolchain.check_compdb(tally)
    if not selection or "prefixed" in selection:
        check_toolchain.check_prefixed_build(args, tally)

    run_kernel_tests(args, tally)
    if not args.tests or "compat" in args.tests:
        compat.check(args, tally)
    if not args.tests or "memmap" in args.tests:
        check_memmap.check(args, tally)
    if args.solution_iso and args.rubric:
        check_grading.grade_solution(args, tally)
        if args.tests:
            check_grading.grade_skeleton(args, tally)
        else:
            check_grading.check_handout(args, tally)
            check_grading.check_broken(args, tally)
            check_grading.check_cheating(args, tally)
            check_grading.check_forged_todo(args, tally)
            check_grading.check_hanging(args, tally)
            check_grading.check_bench_smoke(args, tally)
            check_gradescope.check_chroot(args, tally)

    with open(args.junit, "w") as f:
        f.write(results.junit_xml(tally.cases, "make test"))
    print(f"\nmake test took {time.monotonic() - started:.0f} s; JUnit: {args.junit}")
    print(f"{tally.passed} passed, {tally.failed} failed")
    return 0 if tally.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
