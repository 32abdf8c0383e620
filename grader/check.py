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
                       "not implemented" (todo), every regression test passed, score 0;
                       no staff-only file in it
  bench-smoke          the benchmarks at tiny sizes on the solution: every metric arrives
  broken-NAME/*        each deliberately broken solution (grader/broken/NAME.patch applied
                       to the solution) graded as a submission must lose points and fail
                       the tests its `Must lose:` line names (graded tests with the
                       default timeout only: the long stress tests would just time out)

With TESTS (a selection) the handout and broken solutions are skipped; the selected
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
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import grade  # noqa: E402
import handout  # noqa: E402
import ktest  # noqa: E402
import patching  # noqa: E402
import report  # noqa: E402
import results  # noqa: E402
import rubric as rubric_mod  # noqa: E402
import submission  # noqa: E402

LOG_DIR = os.path.join("build", "test")
SMP_TESTS = ("smp_*", "timer_*", "tlb_*", "thread_runs_on_every_cpu")
# Tests that need more than one CPU; left out of the 1-CPU boot.
MULTI_CPU_TESTS = ("tlb_shootdown_reaches_other_cpu", "cow_tlb_cross_cpu")
SOLUTION_SRC = os.path.join("project3", "solution", "fork.cpp")
BROKEN_GLOB = os.path.join("grader", "broken", "*.patch")


class Tally:
    """Every check's outcome: counted, printed when it fails, kept for JUnit."""

    def __init__(self):
        self.passed = self.failed = 0
        self.cases: dict[str, list[results.Case]] = {}

    def check(self, suite: str, name: str, ok: bool, why: str = "", time_s: float = 0.0,
              quiet: bool = False) -> bool:
        failure = None if ok else ("check", why or "failed")
        self.cases.setdefault(suite, []).append(
            results.Case(f"check.{suite}", name, time_s, failure, why))
        if ok:
            self.passed += 1
            if not quiet:
                print(f"  ok      {suite}/{name}")
        else:
            self.failed += 1
            print(f"  FAIL    {suite}/{name}: {why}")
        return ok

    def count(self, suite: str, passed: int, failed: int, output: str) -> None:
        self.cases.setdefault(suite, []).append(results.Case(
            f"check.{suite}", suite, 0.0,
            ("check", f"{failed} failed") if failed else None, output if failed else ""))
        self.passed, self.failed = self.passed + passed, self.failed + failed


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


def run_python_tests() -> tuple[int, int, str]:
    """The grader's own unit tests (grader/test_*.py); returns (passed, failed, output)."""
    import io
    import unittest
    stream = io.StringIO()
    suite = unittest.defaultTestLoader.discover(os.path.dirname(os.path.abspath(__file__)),
                                                pattern="test_*.py")
    result = unittest.TextTestRunner(stream=stream, verbosity=1).run(suite)
    failed = len(result.failures) + len(result.errors)
    return result.testsRun - failed, failed, stream.getvalue()


# ---------------------------------------------------------------------------------------
# Kernel tests in shared boots


def list_tests(args, iso: str, variant: str) -> list[tuple[str, str | None]]:
    log = os.path.join(LOG_DIR, f"{variant}-list.log")
    listed = ktest.list_tests(iso, mem=args.mem, timeout=args.timeout, kvm=args.kvm,
                              log_path=log).listed
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
    points at 4 CPUs (the graded ones are graded, see grade_skeleton)."""
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
        listed = list_tests(args, iso, variant)
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


# ---------------------------------------------------------------------------------------
# Gradings


def grade_options(args, log_dir: str, **more) -> grade.Options:
    return grade.Options(rubric=args.rubric, jobs=args.jobs, kvm=args.kvm,
                         tests=grade.split_globs(args.tests), log_dir=log_dir,
                         progress=None, mem=args.mem, **more)


def show(g: results.Grading) -> None:
    report.print_grading(g, sys.stdout, "never")


def grade_iso_checked(iso: str, opts: grade.Options, suite: str,
                      tally: Tally) -> results.Grading | None:
    """Grades `iso` and shows the table; None (and a failed check if grading broke) when
    there is nothing to show."""
    try:
        g = grade.grade_iso(iso, opts)
    except grade.NothingSelected as e:
        print(f"  (nothing to grade: {e})")
        return None
    except grade.GradeError as e:
        tally.check(suite, "grading", False, str(e))
        return None
    show(g)
    return g


def grade_solution(args, tally: Tally) -> None:
    """The reference solution gets every point of the rubric (every selected test)."""
    print("\ngrade-solution: the reference solution graded by grade.py")
    opts = grade_options(args, grade.LOG_DIR)
    g = grade_iso_checked(args.solution_iso, opts, "grade-solution", tally)
    if g is None:
        return
    grade.write_outputs(g, opts, None, os.path.join(grade.LOG_DIR, "junit.xml"))
    for t in g.tests:
        tally.check("grade-solution", t.name, t.passed, f"{t.verdict}: {t.reason} "
                    f"(log {t.log})", t.time_s, quiet=True)
    if not opts.tests:
        tally.check("grade-solution", "full score", g.score == g.max_score and g.max_score > 0,
                    f"{results.points(g.score)} of {results.points(g.max_score)}")


def check_skeleton(suite: str, data: dict, tally: Tally, whole: bool) -> None:
    """A grading of the untouched skeleton (results JSON): every graded test stops at a
    student stub ("todo", never a timeout or a failure), every regression test passes,
    and the score is 0."""
    for t in data.get("tests", []):
        want = "todo" if t["max_score"] > 0 else "pass"
        tally.check(suite, t["name"], t.get("verdict") == want,
                    f"expected {want}, got {t.get('verdict')}: {t.get('output', '')}",
                    t.get("time", 0.0), quiet=True)
    if whole:
        tally.check(suite, "score 0", data.get("score") == 0 and bool(data.get("tests")),
                    f"score {data.get('score')} with {len(data.get('tests', []))} tests")


def _digest(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def check_handout(args, tally: Tally) -> None:
    """`make handout`, unpacked and graded on its own."""
    print("\nhandout: build/handout.tar.gz unpacked in a temporary directory, built there "
          "from scratch, and graded by its own `make grade`")
    out = os.path.join("build", "handout.tar.gz")
    files = handout.make_tarball(".", out)
    staff = handout.tree_files(".", staff=True)
    globs = handout.read_globs(handout.STAFF_ONLY)
    staff_only = [f for f in staff if handout.matches(f, globs)]
    secret = {_digest(f) for f in staff_only if os.path.getsize(f) > 0}
    leaked = [f for f in files if handout.matches(f, globs) or _digest(f) in secret]
    tally.check("handout", "no staff-only material", not leaked and bool(staff_only),
                f"in the handout: {', '.join(leaked)}" if leaked else "no staff-only list")
    tmp = tempfile.mkdtemp(prefix="keos-handout-")
    try:
        with tarfile.open(out) as tar:
            tar.extractall(tmp, **submission._TAR_FILTER)
        root = os.path.join(tmp, handout.TOP_DIR)
        grade_args = f"--junit {os.path.join('build', 'grade', 'junit.xml')}"
        cmd = ["make", "-C", root, f"-j{args.jobs}", "grade", f"JOBS={args.jobs}",
               f"GRADE_ARGS={grade_args}"] + (["KVM=1"] if args.kvm else [])
        started = time.monotonic()
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, env=submission.clean_make_env())
        took = time.monotonic() - started
        output = proc.stdout.decode("utf-8", "replace")
        log = os.path.join(LOG_DIR, "handout-make-grade.log")
        with open(log, "w") as f:
            f.write(output)
        lines = [line for line in output.splitlines() if not line.startswith("make")]
        start = next((i for i, line in enumerate(lines) if line.startswith("grade: ")), None)
        print("\n".join(lines[start:] if start is not None else lines[-30:]))
        print(f"(make grade in the unpacked handout took {took:.0f} s; output in {log})")
        results_path = os.path.join(root, "build", "grade", "results.json")
        if not tally.check("handout", "builds and grades", proc.returncode == 0 and
                           os.path.exists(results_path),
                           f"make grade exited with {proc.returncode}; see {log}", took):
            return
        kept = os.path.join(LOG_DIR, "handout-grade")
        shutil.rmtree(kept, ignore_errors=True)
        shutil.copytree(os.path.join(root, "build", "grade"), kept)
        with open(results_path) as f:
            check_skeleton("handout", json.load(f), tally, whole=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def grade_skeleton(args, tally: Tally) -> None:
    """With a selection: the selected rubric tests on the skeleton ISO of this tree."""
    print("\ngrade-skeleton: the skeleton graded by grade.py")
    opts = grade_options(args, os.path.join(LOG_DIR, "grade-skeleton"))
    g = grade_iso_checked(args.iso, opts, "grade-skeleton", tally)
    if g is None:
        return
    check_skeleton("grade-skeleton", results.gradescope(g), tally, whole=False)


def quick_graded_tests(rubric_path: str) -> list[str]:
    """The rubric's test keys (names or globs) that carry points and keep the default
    timeout."""
    with open(rubric_path) as f:
        data = json.load(f)
    return [key for group in data.get("rubrics", {}).values() if group.get("points", 0) > 0
            for key, overrides in group.get("tests", {}).items() if "timeout" not in overrides]


def check_broken(args, tally: Tally) -> None:
    """Each broken solution, graded as a submission, loses points."""
    for patch_path in sorted(glob.glob(BROKEN_GLOB)):
        name = os.path.basename(patch_path)[:-len(".patch")]
        suite = f"broken-{name}"
        with open(patch_path) as f:
            patch = f.read()
        print(f"\n{suite}: {SOLUTION_SRC} with {patch_path}, graded as a submission")
        for line in patching.header(patch):
            print(f"  {line}")
        with open(SOLUTION_SRC) as f:
            try:
                broken = patching.apply(f.read(), patch)
            except patching.PatchError as e:
                tally.check(suite, "patch applies", False, f"{patch_path}: {e}")
                continue
        source = os.path.join(LOG_DIR, "broken", name, "fork.cpp")
        os.makedirs(os.path.dirname(source), exist_ok=True)
        with open(source, "w") as f:
            f.write(broken)
        # The graded tests with the default timeout: a broken solution can make a long
        # stress test run to its timeout, which takes minutes and proves nothing more.
        opts = grade_options(args, os.path.join(LOG_DIR, f"grade-{suite}"), graded_only=True)
        if not opts.tests:
            opts.tests = quick_graded_tests(args.rubric)
        try:
            g = grade.grade_submission(source, opts, ".", "build",
                                       os.path.join(grade.WORK_DIR, suite))
        except grade.GradeError as e:
            tally.check(suite, "grading", False, str(e))
            continue
        show(g)
        results.write_json(g, os.path.join(opts.log_dir, "results.json"))
        tally.check(suite, "loses points", not g.build_error and g.score < g.max_score,
                    "build failure" if g.build_error else
                    f"scored {results.points(g.score)} of {results.points(g.max_score)}")
        verdicts = {t.name: t.verdict for t in g.tests}
        for test in patching.must_lose(patch):
            tally.check(suite, f"{test} not passed", verdicts.get(test, "pass") != "pass",
                        f"{test}: {verdicts.get(test, 'not graded')}")


def check_bench_smoke(args, tally: Tally) -> None:
    """`make bench` at tiny sizes on the solution: every metric must arrive (timings are
    not judged here), so the benchmark suite cannot rot."""
    print("\nbench-smoke: grader/bench.py --smoke on the reference solution")
    out = os.path.join(LOG_DIR, "bench-smoke.json")
    proc = subprocess.run([sys.executable, os.path.join("grader", "bench.py"), "--smoke",
                           "--iso", args.solution_iso, "--mem", args.mem, "--json", out],
                          capture_output=True, text=True)
    print("  " + "\n  ".join((proc.stdout + proc.stderr).strip().splitlines()[-3:]))
    tally.check("bench-smoke", "every metric arrives", proc.returncode == 0,
                (proc.stdout + proc.stderr)[-2000:])


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

    run_kernel_tests(args, tally)
    if args.solution_iso and args.rubric:
        grade_solution(args, tally)
        if args.tests:
            grade_skeleton(args, tally)
        else:
            check_handout(args, tally)
            check_broken(args, tally)
            check_bench_smoke(args, tally)

    with open(args.junit, "w") as f:
        f.write(results.junit_xml(tally.cases, "make test"))
    print(f"\nmake test took {time.monotonic() - started:.0f} s; JUnit: {args.junit}")
    print(f"{tally.passed} passed, {tally.failed} failed")
    return 0 if tally.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
