#!/usr/bin/env python3
"""The autograder (`make grade`). Every test of the rubric (project3/rubric.json) runs in
a fresh QEMU boot of its own, with the test's timeout, CPU count and memory, several boots
at a time. Verdicts: pass, fail, leak, todo (not implemented), panic, timeout, build
failure. Prints a table with points per test, per rubric and in total, then a short
reason per test that did not pass; keeps every serial log; writes the Gradescope results
JSON (build/grade/results.json) and, on request, JUnit XML.

  grade.py                               the kernel in build/keos-student.iso
  grade.py --tests 'cow_*' --repeat 5    a selection, five runs each (flaky tests named)
  grade.py --submission PATH             a student's tree, archive or fork.cpp, copied
                                         onto a pristine skeleton and built first
  grade.py --bulk DIR --csv scores.csv   every submission in DIR, one after another

Timeouts: a rubric timeout is the test's budget with KVM; without KVM (QEMU's TCG) it is
multiplied by TCG_SLOWDOWN, and always by --timeout-scale; every boot gets
BOOT_ALLOWANCE_S more (scaled likewise) for QEMU, GRUB and the kernel to start.
Exit status: 0 when the score reaches full marks (or --fail-under POINTS), 1 when it is
below, 2 when the grading could not run (a classroom workflow awards points on 0).
Python standard library only.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from dataclasses import dataclass, field
from typing import Callable

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import judging  # noqa: E402
import pictures  # noqa: E402
import ktest  # noqa: E402
import report  # noqa: E402
import report_html  # noqa: E402
import results  # noqa: E402
import reference_times  # noqa: E402
import rubric as rubric_mod  # noqa: E402
from reference_times import MAX_SLOWDOWN, REFERENCE_FACTOR, REFERENCE_FLOOR_S  # noqa: E402
from results import Grading, TestResult  # noqa: E402

TCG_SLOWDOWN = 2.0
BOOT_ALLOWANCE_S = 10.0
LOG_DIR = os.path.join("build", "grade")
STUDENT_ISO = os.path.join("build", "keos-student.iso")


class GradeError(Exception):
    pass


class NothingSelected(GradeError):
    """The selection (--tests) matches no test of the rubric."""


@dataclass
class Options:
    rubric: str = os.path.join("project3", "rubric.json")
    jobs: int = os.cpu_count() or 2
    kvm: bool = False
    timeout_scale: float = 1.0
    repeat: int = 1
    tests: list[str] = field(default_factory=list)  # globs; empty: the whole rubric
    graded_only: bool = False  # leave out the 0-point (regression) tests
    log_dir: str = LOG_DIR
    progress: bool | None = None  # None: on a terminal only
    mem: str = "512M"  # for the boot that lists the tests
    alone: bool = False  # every test in a boot of its own (no shared regression boots)
    # test -> seconds its boot took on the reference solution; empty: rubric timeouts
    reference: dict[str, float] = field(default_factory=dict)
    reference_boot_s: float | None = None  # the listing boot, when they were measured
    boot_s: float | None = None  # the listing boot, now
    use_reference: bool = True  # read the rubric's reference_times
    # Called with the grading so far each time a test has its verdict (results written
    # as tests finish: a grader killed midway still leaves them).
    on_partial: Callable[[Grading], None] | None = None
    # Failing fork/copy-on-write tests booted again with snapshots on, for the report's
    # pictures (grader/pictures.py): at most this many; 0: none.
    pictures: int = pictures.DEFAULT_LIMIT

    @property
    def scale(self) -> float:
        return self.timeout_scale * (1.0 if self.kvm else TCG_SLOWDOWN)

    @property
    def slowdown(self) -> float:
        """How much slower than the reference's machine this one boots now (1 to
        MAX_SLOWDOWN)."""
        if not self.boot_s or not self.reference_boot_s:
            return 1.0
        return min(MAX_SLOWDOWN, max(1.0, self.boot_s / self.reference_boot_s))

    def rubric_timeout(self, test: rubric_mod.RubricTest) -> float:
        return (test.timeout + BOOT_ALLOWANCE_S) * self.scale

    def boot_timeout(self, test: rubric_mod.RubricTest) -> float:
        """Seconds for the boot that runs `test` alone."""
        return self.shared_timeout([test])

    def shared_timeout(self, tests: list[rubric_mod.RubricTest]) -> float:
        """Seconds for one boot that runs all of `tests`."""
        rubric = sum(self.rubric_timeout(t) for t in tests)
        refs = [self.reference.get(t.name) for t in tests]
        if not refs or any(r is None for r in refs):
            return rubric
        derived = max(REFERENCE_FLOOR_S, REFERENCE_FACTOR * sum(refs) * self.slowdown)
        return min(rubric, derived * self.timeout_scale)


def split_globs(text: str) -> list[str]:
    return text.replace(",", " ").split()


# ---------------------------------------------------------------------------------------
# Running the tests of a rubric on one kernel


def _clean_log_dir(log_dir: str) -> None:
    """Removes the previous grading's files (not its subdirectories)."""
    os.makedirs(log_dir, exist_ok=True)
    for name in os.listdir(log_dir):
        path = os.path.join(log_dir, name)
        if os.path.isfile(path) and name.endswith((".log", ".json", ".xml")):
            os.unlink(path)


def list_kernel_tests(iso: str, opts: Options) -> tuple[list[tuple[str, str | None]], float]:
    """The kernel's tests (name, expected-panic text) and how long that boot took."""
    log = os.path.join(opts.log_dir, "list.log")
    result = ktest.list_tests(iso, mem=opts.mem, timeout=60 * opts.scale, kvm=opts.kvm,
                              log_path=log)
    listed = result.listed
    if not listed:
        raise GradeError(f"the kernel {iso} listed no tests; see {log}")
    return listed, result.wall_s


def load_rubric(opts: Options, listed: list[str] | None) -> rubric_mod.Rubric:
    try:
        return rubric_mod.load(opts.rubric, listed)
    except rubric_mod.RubricError as e:
        raise GradeError(str(e)) from None


def select_tests(rubric: rubric_mod.Rubric, opts: Options) -> list[rubric_mod.RubricTest]:
    tests = rubric.select(opts.tests, opts.graded_only)
    if not tests:
        what = f"matches {' '.join(opts.tests)}" if opts.tests else "is selected"
        raise NothingSelected(f"no test of {opts.rubric} {what}")
    return tests


def _combine(test: rubric_mod.RubricTest, runs: list) -> TestResult:
    """One result from a test's runs (verdict, reason, details, log, seconds): pass only
    if every run passed; otherwise the first run that did not pass explains why."""
    verdicts = [r[0] for r in runs]
    worst = next((r for r in runs if r[0] != "pass"), runs[0])
    verdict, reason, details, log, _ = worst
    return TestResult(test.name, test.group, test.points, verdict,
                      max(r[4] for r in runs), reason, details, log,
                      verdicts if len(runs) > 1 else [], test.visibility)


# Regression tests (no points) share boots, at most this many per boot: they never reach
# the student's functions (the skeleton passes them all, and a submission may not add
# code that runs at boot: grader/integrity.py), so one boot of many proves what a boot
# each would. A test that does not pass in a shared boot is run again alone, and that
# run gives its verdict.
SHARED_BOOT_TESTS = 16


@dataclass
class _Job:
    members: list[tuple[int, rubric_mod.RubricTest]]  # (index in the tests, test)
    boot: ktest.Boot
    label: str  # for the progress line

    @property
    def shared(self) -> bool:
        return len(self.members) > 1 or self.label.startswith("regression")


def _alone(iso: str, index: int, t: rubric_mod.RubricTest, opts: Options, log: str) -> _Job:
    boot = ktest.Boot(iso, ncpu=t.cpu, mem=t.mem,
                      cmdline=f"quiet test={t.name} expect_cpus={t.cpu}",
                      timeout=opts.boot_timeout(t), kvm=opts.kvm,
                      log_path=os.path.join(opts.log_dir, log))
    return _Job([(index, t)], boot, t.name)


def _shared(iso: str, members: list[tuple[int, rubric_mod.RubricTest]],
            opts: Options) -> list[_Job]:
    """Shared boots for `members`: grouped by CPU count and memory, at most
    SHARED_BOOT_TESTS each."""
    groups: dict[tuple[int, str], list[tuple[int, rubric_mod.RubricTest]]] = {}
    for index, t in members:
        groups.setdefault((t.cpu, t.mem), []).append((index, t))
    jobs: list[_Job] = []
    for (cpu, mem), group in groups.items():
        for at in range(0, len(group), SHARED_BOOT_TESTS):
            chunk = group[at:at + SHARED_BOOT_TESTS]
            label = f"regression-{len(jobs) + 1}"
            names = ",".join(t.name for _, t in chunk)
            timeout = opts.shared_timeout([t for _, t in chunk])
            boot = ktest.Boot(iso, ncpu=cpu, mem=mem,
                              cmdline=f"quiet test={names} expect_cpus={cpu}",
                              timeout=timeout, kvm=opts.kvm,
                              log_path=os.path.join(opts.log_dir, f"{label}.log"))
            jobs.append(_Job(chunk, boot, label))
    return jobs


_Run = tuple[str, str, list[str], str, float]


def _run_jobs(jobs: list[_Job], opts: Options, elf: str | None,
              expect_panic: dict[str, str], runs: dict[int, list[_Run]],
              on_done: Callable[[], None] | None = None) -> list[int]:
    """Runs `jobs` (longest first), adding each test's runs to `runs` (and calling
    `on_done` after each boot); returns the indexes of the tests of shared boots that
    did not pass there (to be run again alone)."""
    jobs = sorted(jobs, key=lambda j: -j.boot.timeout)
    progress = report.Progress(len(jobs), enabled=opts.progress)
    again: list[int] = []

    def started(i: int) -> None:
        progress.start(jobs[i].label)

    def done(i: int, result: ktest.BootResult) -> None:
        job = jobs[i]
        log = job.boot.log_path or ""
        ok = True
        if job.shared:
            right_cpus = result.cpus is None or result.cpus == job.boot.ncpu
            for (index, t), r in zip(job.members, ktest.judge(result, [t.name for _, t in
                                                                          job.members])):
                if r.verdict == "pass" and right_cpus:
                    runs.setdefault(index, []).append(("pass", "", [], log, r.ms / 1000))
                else:
                    again.append(index)
                    ok = False
        else:
            index, t = job.members[0]
            verdict, reason, details = judging.judge(t, result, expect_panic.get(t.name))
            if verdict in ("panic", "todo"):
                details = judging.add_source_lines(elf, details)
            runs.setdefault(index, []).append((verdict, reason, details, log, result.wall_s))
            ok = verdict == "pass"
        progress.finish(job.label, ok)
        if on_done is not None:
            on_done()

    try:
        ktest.run_all([j.boot for j in jobs], opts.jobs, started, done)
    finally:
        progress.close()
    return again


def run_tests(iso: str, tests: list[rubric_mod.RubricTest], opts: Options,
              expect_panic: dict[str, str],
              on_partial: Callable[[list[TestResult]], None] | None = None
              ) -> list[TestResult]:
    """Runs `tests` on the kernel `iso`: each graded test in a boot of its own (`repeat`
    times), the regression tests in shared boots (unless opts.alone or repeating).
    `on_partial(results)`: called with the tests that have all their runs, as they come."""
    share = not opts.alone and opts.repeat <= 1
    jobs: list[_Job] = []
    shareable: list[tuple[int, rubric_mod.RubricTest]] = []
    for index, t in enumerate(tests):
        if share and not t.graded and t.name not in expect_panic:
            shareable.append((index, t))
            continue
        for k in range(max(1, opts.repeat)):
            log = f"{t.name}.log" if opts.repeat <= 1 else f"{t.name}.{k + 1}.log"
            jobs.append(_alone(iso, index, t, opts, log))
    if len(shareable) == 1:
        index, t = shareable[0]
        jobs.append(_alone(iso, index, t, opts, f"{t.name}.log"))
    elif shareable:
        jobs += _shared(iso, shareable, opts)
    elf = judging.kernel_elf_of(iso)
    runs: dict[int, list[_Run]] = {}
    wanted = max(1, opts.repeat)

    def partial() -> None:
        if on_partial is not None:
            on_partial([_combine(t, runs[i]) for i, t in enumerate(tests)
                        if len(runs.get(i, [])) >= wanted])

    again = _run_jobs(jobs, opts, elf, expect_panic, runs, partial)
    if again:
        retry = [_alone(iso, i, tests[i], opts, f"{tests[i].name}.log") for i in again]
        _run_jobs(retry, opts, elf, expect_panic, runs, partial)
    return [_combine(t, runs[i]) for i, t in enumerate(tests)]


def grade_iso(iso: str, opts: Options, clean: bool = True) -> Grading:
    """Grades the kernel in `iso` against the rubric (after removing the previous
    grading's files from the log directory, if `clean`)."""
    started = time.monotonic()
    if not os.path.exists(iso):
        raise GradeError(f"{iso}: no such kernel image (run make first)")
    if clean:
        _clean_log_dir(opts.log_dir)
    listed, boot_s = list_kernel_tests(iso, opts)
    rubric = load_rubric(opts, [n for n, _ in listed])
    tests = select_tests(rubric, opts)
    opts = dataclasses.replace(opts, boot_s=boot_s)
    if opts.use_reference and rubric.reference_times and not opts.reference:
        try:
            times, ref_boot = reference_times.read(rubric.reference_times)
        except reference_times.ReferenceTimesError as e:
            raise GradeError(str(e)) from None
        opts = dataclasses.replace(opts, reference=times, reference_boot_s=ref_boot)
    expect_panic = {n: text for n, text in listed if text is not None}
    on_partial = None
    if opts.on_partial is not None:
        def on_partial(done: list[TestResult]) -> None:
            opts.on_partial(Grading(rubric.project or opts.rubric, dict(rubric.groups),
                                    rubric.group_sizes(), done,
                                    wall_s=time.monotonic() - started, log_dir=opts.log_dir))
    outcome = run_tests(iso, tests, opts, expect_panic, on_partial)
    outcome = pictures.take(iso, outcome, {t.name: t for t in tests}, opts, opts.pictures)
    return Grading(rubric.project or opts.rubric, dict(rubric.groups), rubric.group_sizes(),
                   outcome, wall_s=time.monotonic() - started, log_dir=opts.log_dir,
                   boot_s=boot_s)


# ---------------------------------------------------------------------------------------


def write_outputs(g: Grading, opts: Options, json_path: str | None,
                  junit_path: str | None) -> list[str]:
    paths = [os.path.join(opts.log_dir, "results.json")]
    results.write_json(g, paths[0])
    paths.append(report_html.write(g, os.path.join(opts.log_dir, "report.html")))
    if json_path:
        os.makedirs(os.path.dirname(json_path) or ".", exist_ok=True)
        results.write_json(g, json_path)
        paths.append(json_path)
    if junit_path:
        os.makedirs(os.path.dirname(junit_path) or ".", exist_ok=True)
        results.write_junit(g, junit_path)
        paths.append(junit_path)
    return paths


def describe(opts: Options, count: int | None = None) -> str:
    mode = "KVM" if opts.kvm else f"TCG, no KVM: rubric timeouts x{TCG_SLOWDOWN:g}"
    if opts.timeout_scale != 1.0:
        mode += f", --timeout-scale {opts.timeout_scale:g}"
    if opts.use_reference:
        mode += (f"; a test with a reference time gets {REFERENCE_FACTOR:g}x it, at least "
                 f"{REFERENCE_FLOOR_S:g} s, scaled by this machine's boot time")
    what = f"{count} tests" if count is not None else "the rubric"
    boots = ("one boot each" if opts.alone or opts.repeat > 1 else
             "a boot per graded test, regression tests in shared boots")
    return (f"grade: {what} of {opts.rubric}, {boots}"
            f"{f' x{opts.repeat}' if opts.repeat > 1 else ''}, {opts.jobs} at a time ({mode})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iso", default=STUDENT_ISO, help="the kernel to grade")
    parser.add_argument("--rubric", default=Options.rubric)
    parser.add_argument("--tests", default="", help="names or globs, comma or space separated")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--kvm", action="store_true", help="run QEMU with KVM")
    parser.add_argument("--timeout-scale", type=float, default=1.0,
                        help="multiply every timeout (a slow or busy machine)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each test N times; a test passes if every run passed")
    parser.add_argument("--graded-only", action="store_true",
                        help="leave out the tests that carry no points")
    parser.add_argument("--json", help="also write the results JSON here")
    parser.add_argument("--junit", help="write JUnit XML here")
    parser.add_argument("--log-dir", default=LOG_DIR)
    parser.add_argument("--submission", help="a student's tree, archive or single file")
    parser.add_argument("--bulk", help="a directory of submissions, graded into a CSV")
    parser.add_argument("--csv", help="the CSV of --bulk (default LOG_DIR/scores.csv)")
    parser.add_argument("--skeleton", default=".", help="the tree submissions go onto")
    parser.add_argument("--no-seed", action="store_true",
                        help="build a submission from scratch (no reuse of build/)")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    parser.add_argument("--alone", action="store_true",
                        help="every test in a boot of its own (regression tests too)")
    parser.add_argument("--rubric-timeouts", action="store_true",
                        help="the rubric's timeouts only (not the reference's times)")
    parser.add_argument("--record-reference", metavar="FILE",
                        help="write the tests' times to FILE (on the reference solution)")
    parser.add_argument("--fail-under", type=float, default=None, metavar="POINTS",
                        help="exit with status 1 below this score (default: full marks)")
    parser.add_argument("--pictures", type=int, default=pictures.DEFAULT_LIMIT, metavar="N",
                        help="boot up to N failing fork/CoW tests again with memory-map "
                        "snapshots, for report.html (0: none)")
    args = parser.parse_args(argv)
    if args.kvm and not ktest.kvm_usable():
        print("grade: /dev/kvm is not usable; running without KVM", file=sys.stderr)
        args.kvm = False
    opts = Options(args.rubric, max(1, args.jobs), args.kvm, args.timeout_scale,
                   max(1, args.repeat), split_globs(args.tests), args.graded_only,
                   args.log_dir, alone=args.alone, use_reference=not args.rubric_timeouts,
                   pictures=args.pictures)
    seed = None if args.no_seed else os.path.join(args.skeleton, "build")
    import grade_submissions  # it builds on this module
    try:
        if args.bulk:
            print(describe(opts), flush=True)
            csv_path = args.csv or os.path.join(opts.log_dir, "scores.csv")
            grade_submissions.bulk(args.bulk, opts, csv_path, args.skeleton, seed)
            return 0
        print(describe(opts), flush=True)
        if args.submission:
            g = grade_submissions.grade_submission(args.submission, opts, args.skeleton,
                                                   seed)
        else:
            g = grade_iso(args.iso, opts)
    except GradeError as e:
        print(f"grade: {e}", file=sys.stderr)
        return 2
    print()
    report.print_grading(g, sys.stdout, args.color)
    paths = write_outputs(g, opts, args.json, args.junit)
    print(f"Results: {', '.join(paths)}")
    if args.record_reference:
        n = reference_times.write(g, args.record_reference, opts.jobs)
        print(f"Reference times of {n} tests: {args.record_reference}")
    return exit_status(g, args.fail_under)


def exit_status(g: Grading, fail_under: float | None) -> int:
    """0 if the score reaches `fail_under` (None: full marks), else 1 (and says so)."""
    need = g.max_score if fail_under is None else fail_under
    if g.score + 1e-9 >= need:
        return 0
    what = "full marks" if fail_under is None else "--fail-under"
    print(f"grade: score {results.points(g.score)} is below {results.points(need)} "
          f"({what}): exit status 1")
    return 1


if __name__ == "__main__":
    sys.exit(main())
