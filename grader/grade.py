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
Exit status: 0 when the grading ran (whatever the score), 2 when it could not.
Python standard library only.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktest  # noqa: E402
import report  # noqa: E402
import results  # noqa: E402
import rubric as rubric_mod  # noqa: E402
import submission  # noqa: E402
from results import Grading, TestResult  # noqa: E402

TCG_SLOWDOWN = 2.0
BOOT_ALLOWANCE_S = 10.0
LOG_DIR = os.path.join("build", "grade")
WORK_DIR = os.path.join("build", "submission")
STUDENT_ISO = os.path.join("build", "keos-student.iso")


class GradeError(Exception):
    pass


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

    @property
    def scale(self) -> float:
        return self.timeout_scale * (1.0 if self.kvm else TCG_SLOWDOWN)

    def boot_timeout(self, test: rubric_mod.RubricTest) -> float:
        return (test.timeout + BOOT_ALLOWANCE_S) * self.scale


def split_globs(text: str) -> list[str]:
    return text.replace(",", " ").split()


# ---------------------------------------------------------------------------------------
# Judging one boot

_HARNESS = re.compile(r"^grader/tests/support/[\w./-]+:\d+: ")
_REGISTERS = re.compile(r"^(RIP|RSP|RAX|RBX|RCX|RDX|RSI|RDI|RBP|R\d+)\s+0x")
MAX_FRAMES = 12


def _panic_details(panic: ktest.Panic) -> list[str]:
    """The panic report without its register dump: thread, trap cause, backtrace."""
    out, frames = [], 0
    for line in panic.lines:
        text = line.strip()
        if not text or line.startswith("KERNEL PANIC") or _REGISTERS.match(text):
            continue
        if re.match(r"#\d+", text):
            frames += 1
            if frames > MAX_FRAMES:
                continue
        out.append(text)
    if frames > MAX_FRAMES:
        out.append(f"... {frames - MAX_FRAMES} more frames")
    return out


def _output_lines(result: ktest.BootResult, name: str) -> list[str]:
    streams = result.output.get(name, {})
    text = b"".join(bytes(streams.get(s, b"")) for s in (1, 2))
    return text.decode("utf-8", "replace").splitlines()


def _user_assertions(result: ktest.BootResult, name: str) -> list[str]:
    return [line.strip() for line in _output_lines(result, name)
            if "ABORT" in line or "assertion" in line][:3]


def judge(test: rubric_mod.RubricTest, result: ktest.BootResult,
          expect_panic: str | None) -> tuple[str, str, list[str]]:
    """(verdict, reason, details) of `test` from the boot that ran it alone."""
    expect = {test.name: expect_panic} if expect_panic is not None else {}
    run = ktest.judge(result, [test.name], expect)[0]
    verdict, reason, details = run.verdict, run.reason, []
    if verdict == "missing":  # the boot ended before the test began
        if result.panic is not None:
            verdict = "panic"
            reason = "before the test started: " + (result.panic.message or "(no message)")
        else:
            verdict = "fail"
            reason = run.reason
    elif verdict == "pass" and result.panic is not None and expect_panic is None:
        verdict = "panic"
        reason = "after the test ended: " + (result.panic.message or "(no message)")
    elif verdict == "pass" and result.cpus is not None and result.cpus != test.cpu:
        verdict = "fail"
        reason = f"the kernel booted {result.cpus} CPUs, the rubric asks for {test.cpu}"
    if verdict == "panic":
        if run.verdict == "panic":
            reason = result.panic.message or "(no message)"
        details = _panic_details(result.panic)
    elif verdict == "fail":
        reason = _HARNESS.sub("", reason)
        details = [f"user program: {line}" for line in _user_assertions(result, test.name)
                   if line not in reason]
    elif verdict == "timeout":
        reason = f"no result within {result.boot.timeout:.0f} s"
        if test.name in result.started:
            reason += " (the test started but did not finish)"
        console = [line for line in result.lines if line and not line.startswith("@@ ")]
        if console:
            details.append(f"last console line: {console[-1]}")
        tail = _output_lines(result, test.name)[-3:]
        details += [f"last output: {line}" for line in tail]
    return verdict, reason, details


# ---------------------------------------------------------------------------------------
# Running the tests of a rubric on one kernel


def _clean_log_dir(log_dir: str) -> None:
    """Removes the previous grading's files (not its subdirectories)."""
    os.makedirs(log_dir, exist_ok=True)
    for name in os.listdir(log_dir):
        path = os.path.join(log_dir, name)
        if os.path.isfile(path) and name.endswith((".log", ".json", ".xml")):
            os.unlink(path)


def list_kernel_tests(iso: str, opts: Options) -> list[tuple[str, str | None]]:
    log = os.path.join(opts.log_dir, "list.log")
    listed = ktest.list_tests(iso, mem=opts.mem, timeout=60 * opts.scale, kvm=opts.kvm,
                              log_path=log).listed
    if not listed:
        raise GradeError(f"the kernel {iso} listed no tests; see {log}")
    return listed


def load_rubric(opts: Options, listed: list[str] | None) -> rubric_mod.Rubric:
    try:
        return rubric_mod.load(opts.rubric, listed)
    except rubric_mod.RubricError as e:
        raise GradeError(str(e)) from None


def select_tests(rubric: rubric_mod.Rubric, opts: Options) -> list[rubric_mod.RubricTest]:
    tests = rubric.select(opts.tests, opts.graded_only)
    if not tests:
        what = f"matches {' '.join(opts.tests)}" if opts.tests else "is selected"
        raise GradeError(f"no test of {opts.rubric} {what}")
    return tests


def _combine(test: rubric_mod.RubricTest, runs: list[tuple[str, str, list[str], str, float]]
             ) -> TestResult:
    """One result from a test's runs: pass only if every run passed; otherwise the first
    run that did not pass explains why."""
    verdicts = [r[0] for r in runs]
    worst = next((r for r in runs if r[0] != "pass"), runs[0])
    verdict, reason, details, log, _ = worst
    return TestResult(test.name, test.group, test.points, verdict,
                      max(r[4] for r in runs), reason, details, log,
                      verdicts if len(runs) > 1 else [])


def run_tests(iso: str, tests: list[rubric_mod.RubricTest], opts: Options,
              expect_panic: dict[str, str]) -> list[TestResult]:
    planned: list[tuple[int, rubric_mod.RubricTest, ktest.Boot]] = []
    for index, t in enumerate(tests):
        for k in range(max(1, opts.repeat)):
            log = f"{t.name}.log" if opts.repeat <= 1 else f"{t.name}.{k + 1}.log"
            boot = ktest.Boot(iso, ncpu=t.cpu, mem=t.mem,
                              cmdline=f"quiet test={t.name} expect_cpus={t.cpu}",
                              timeout=opts.boot_timeout(t), kvm=opts.kvm,
                              log_path=os.path.join(opts.log_dir, log))
            planned.append((index, t, boot))
    # The longest tests start first, so that they do not finish last, alone.
    planned.sort(key=lambda p: -p[2].timeout)
    progress = report.Progress(len(planned), enabled=opts.progress)
    judged: dict[int, tuple[str, str, list[str], str, float]] = {}

    def started(i: int) -> None:
        progress.start(planned[i][1].name)

    def done(i: int, result: ktest.BootResult) -> None:
        _, t, boot = planned[i]
        verdict, reason, details = judge(t, result, expect_panic.get(t.name))
        judged[i] = (verdict, reason, details, boot.log_path or "", result.wall_s)
        progress.finish(t.name, verdict == "pass")

    try:
        ktest.run_all([p[2] for p in planned], opts.jobs, started, done)
    finally:
        progress.close()
    per_test: dict[int, list] = {}
    for i, (index, _, _) in enumerate(planned):
        per_test.setdefault(index, []).append(judged[i])
    return [_combine(t, per_test[i]) for i, t in enumerate(tests)]


def grade_iso(iso: str, opts: Options, clean: bool = True) -> Grading:
    """Grades the kernel in `iso` against the rubric (after removing the previous
    grading's files from the log directory, if `clean`)."""
    started = time.monotonic()
    if not os.path.exists(iso):
        raise GradeError(f"{iso}: no such kernel image (run make first)")
    if clean:
        _clean_log_dir(opts.log_dir)
    listed = list_kernel_tests(iso, opts)
    rubric = load_rubric(opts, [n for n, _ in listed])
    tests = select_tests(rubric, opts)
    expect_panic = {n: text for n, text in listed if text is not None}
    outcome = run_tests(iso, tests, opts, expect_panic)
    return Grading(rubric.project or opts.rubric, dict(rubric.groups), rubric.group_sizes(),
                   outcome, wall_s=time.monotonic() - started, log_dir=opts.log_dir)


# ---------------------------------------------------------------------------------------
# Submissions


def _whitelist(opts: Options) -> list[str]:
    whitelist = load_rubric(opts, None).whitelist
    if not whitelist:
        raise GradeError(f"{opts.rubric} has no whitelist: nothing to take from a submission")
    return whitelist


def build_failure(opts: Options, errors: str, build_log: str, seed_iso: str | None,
                  started: float) -> Grading:
    """Every selected test scores 0 with the verdict "build failure"."""
    listed = None
    if seed_iso and os.path.exists(seed_iso):
        listed = [n for n, _ in ktest.list_tests(seed_iso, mem=opts.mem, kvm=opts.kvm,
                                                 timeout=60 * opts.scale).listed] or None
    rubric = load_rubric(opts, listed)
    tests = select_tests(rubric, opts)
    first = next((line for line in errors.splitlines() if "error" in line.lower()), "")
    outcome = [TestResult(t.name, t.group, t.points, "build failure", 0.0,
                          first or "the submission did not compile", [], build_log)
               for t in tests]
    return Grading(rubric.project or opts.rubric, dict(rubric.groups), rubric.group_sizes(),
                   outcome, build_error=errors, wall_s=time.monotonic() - started,
                   log_dir=opts.log_dir)


def grade_submission(path: str, opts: Options, skeleton: str = ".",
                     seed: str | None = "build", work: str = WORK_DIR) -> Grading:
    """Copies the whitelisted files of the submission at `path` onto a pristine copy of
    the skeleton at `skeleton` (in `work`), builds it (reusing the outputs of the build
    directory `seed` where they are still valid) and grades it."""
    started = time.monotonic()
    whitelist = _whitelist(opts)
    try:
        prepared = submission.prepare(path, skeleton, whitelist, work)
    except submission.SubmissionError as e:
        raise GradeError(str(e)) from None
    _clean_log_dir(opts.log_dir)
    if seed:
        submission.seed_build(seed, prepared.tree)
    build_log = os.path.join(opts.log_dir, "build.log")
    ok, output = submission.build(prepared.tree, STUDENT_ISO, opts.jobs, build_log)
    if ok:
        grading = grade_iso(os.path.join(prepared.tree, STUDENT_ISO), opts, clean=False)
    else:
        seed_iso = os.path.join(seed, "keos-student.iso") if seed else None
        grading = build_failure(opts, submission.compiler_errors(output), build_log,
                                seed_iso, started)
    grading.notes = prepared.notes() + [f"submission: built in {prepared.tree} "
                                        f"(log {build_log})"] + grading.notes
    grading.remarks = prepared.remarks()
    grading.wall_s = time.monotonic() - started
    return grading


def submission_name(entry: str) -> str:
    for ext in (".tar.gz", ".tar.xz", ".tar.bz2", ".tgz", ".tar", ".zip", ".cpp"):
        if entry.endswith(ext):
            return entry[:-len(ext)]
    return entry


def bulk(directory: str, opts: Options, csv_path: str, skeleton: str = ".",
         seed: str | None = "build") -> int:
    """Grades every submission in `directory` (each a tree, an archive or a file), one
    after another; writes one CSV row each and every submission's results under
    log_dir/bulk/NAME/. Returns how many could not be graded."""
    entries = sorted(e for e in os.listdir(directory) if not e.startswith("."))
    groups = list(load_rubric(opts, None).groups)
    rows = [results.csv_header(groups)]
    errors = 0
    for n, entry in enumerate(entries, 1):
        name = submission_name(entry)
        sub = dataclasses.replace(opts, log_dir=os.path.join(opts.log_dir, "bulk", name))
        work = os.path.join(WORK_DIR, "bulk")
        try:
            g = grade_submission(os.path.join(directory, entry), sub, skeleton, seed, work)
        except GradeError as e:
            errors += 1
            rows.append(results.csv_row(name, None, groups, f"error: {e}"))
            print(f"[{n}/{len(entries)}] {name}: not graded: {e}", flush=True)
            continue
        results.write_json(g, os.path.join(sub.log_dir, "results.json"))
        rows.append(results.csv_row(name, g, groups))
        counts = {}
        for t in g.tests:
            counts[t.verdict] = counts.get(t.verdict, 0) + 1
        verdicts = ", ".join(f"{v} {c}" for v, c in counts.items())
        print(f"[{n}/{len(entries)}] {name}: {results.points(g.score)}/"
              f"{results.points(g.max_score)} ({verdicts}) -> {sub.log_dir}/results.json",
              flush=True)
        shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.dirname(csv_path) or ".", exist_ok=True)
    with open(csv_path, "w") as f:
        f.write(results.csv_text(rows))
    print(f"bulk: {len(entries)} submissions, {errors} not graded; scores in {csv_path}")
    return errors


# ---------------------------------------------------------------------------------------


def write_outputs(g: Grading, opts: Options, json_path: str | None,
                  junit_path: str | None) -> list[str]:
    paths = [os.path.join(opts.log_dir, "results.json")]
    results.write_json(g, paths[0])
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
    mode = "KVM" if opts.kvm else f"TCG, no KVM: timeouts x{TCG_SLOWDOWN:g}"
    if opts.timeout_scale != 1.0:
        mode += f", --timeout-scale {opts.timeout_scale:g}"
    what = f"{count} tests" if count is not None else "the rubric"
    return (f"grade: {what} of {opts.rubric}, one boot each"
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
    args = parser.parse_args(argv)
    if args.kvm and not ktest.kvm_usable():
        print("grade: /dev/kvm is not usable; running without KVM", file=sys.stderr)
        args.kvm = False
    opts = Options(args.rubric, max(1, args.jobs), args.kvm, args.timeout_scale,
                   max(1, args.repeat), split_globs(args.tests), args.graded_only,
                   args.log_dir)
    seed = None if args.no_seed else os.path.join(args.skeleton, "build")
    try:
        if args.bulk:
            print(describe(opts), flush=True)
            csv_path = args.csv or os.path.join(opts.log_dir, "scores.csv")
            bulk(args.bulk, opts, csv_path, args.skeleton, seed)
            return 0
        print(describe(opts), flush=True)
        if args.submission:
            g = grade_submission(args.submission, opts, args.skeleton, seed)
        else:
            g = grade_iso(args.iso, opts)
    except GradeError as e:
        print(f"grade: {e}", file=sys.stderr)
        return 2
    print()
    report.print_grading(g, sys.stdout, args.color)
    paths = write_outputs(g, opts, args.json, args.junit)
    print(f"Results: {', '.join(paths)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
