"""The grading checks of `make test` (grader/check.py): the autograder run on the
reference solution, on the skeleton, on the unpacked handout and on deliberately broken
solutions, and the benchmark smoke run. Each records its outcome in a Tally."""

from __future__ import annotations

import argparse
import collections
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from html import escape as html_escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cheating  # noqa: E402
import check_gradescope  # noqa: E402
import live  # noqa: E402
import grade  # noqa: E402
import grade_submissions  # noqa: E402
import handout  # noqa: E402
import patching  # noqa: E402
import report  # noqa: E402
import report_html  # noqa: E402
import results  # noqa: E402
import submission  # noqa: E402
from tally import Tally  # noqa: E402

LOG_DIR = os.path.join("build", "test")
SOLUTION_SRC = os.path.join("project3", "solution", "fork.cpp")
BROKEN_GLOB = os.path.join("project3", "broken", "*.patch")


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
        # Graded, and below full marks: grade.py exits with 1, so make fails.
        below = "grade: score 0 is below" in output
        if not tally.check("handout", "builds and grades", proc.returncode != 0 and below
                           and os.path.exists(results_path),
                           f"make grade exited with {proc.returncode}"
                           f"{'' if below else ' without saying the score is below full marks'}"
                           f"; see {log}", took):
            return
        kept = os.path.join(LOG_DIR, "handout-grade")
        shutil.rmtree(kept, ignore_errors=True)
        shutil.copytree(os.path.join(root, "build", "grade"), kept)
        with open(results_path) as f:
            graded = json.load(f)
        check_skeleton("handout", graded, tally, whole=True)
        check_handout_run(root, graded, tally)
        check_gradescope.check_bundle(args, tally, root)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_handout_run(root: str, graded: dict, tally: Tally) -> None:
    """A student's first `make run` in the unpacked handout: every test runs to the end,
    the output ends with the summary, the exit status is 0 (stubs are not failures), and
    the tests it counts as waiting for each function are the ones the handout's grading
    found waiting for it."""
    print("\nhandout-run: `make run` in the unpacked handout, as a student's first run")
    started = time.monotonic()
    proc = subprocess.run(["make", "-C", root, "run"], stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          env=submission.clean_make_env())
    took = time.monotonic() - started
    output = proc.stdout.decode("utf-8", "replace")
    log = os.path.join(LOG_DIR, "handout-make-run.log")
    with open(log, "w") as f:
        f.write(output)
    tail = [line for line in output.splitlines() if line.strip() and
            not line.startswith("make")]
    print("  " + "\n  ".join(tail[-6:]) + f"\n  (took {took:.0f} s; output in {log})")
    summary = live.parse_summary(output)
    tally.check("handout-run", "exit status 0", proc.returncode == 0,
                f"make run exited with {proc.returncode}; see {log}", took)
    if not tally.check("handout-run", "ends with the summary", summary is not None and
                       bool(tail) and tail[-1].startswith("  Where to start: "),
                       f"no summary at the end; see {log}"):
        return
    tally.check("handout-run", "nothing failed", summary.failed == 0 and summary.passed > 0,
                f"{summary.passed} passed, {summary.failed} failed; see {log}")
    expected = collections.Counter(
        live.function_of(t.get("output", "").split("\n", 1)[0].removeprefix("todo: "))
        for t in graded.get("tests", []) if t.get("verdict") == "todo")
    tally.check("handout-run", "not implemented yet, by function, as graded",
                summary.by_function == dict(expected) and summary.todo == sum(expected.values()),
                f"make run: {summary.by_function}; make grade: {dict(expected)}")


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
        drawn = patching.must_draw(patch)
        g = _grade_source(args, suite, broken, tally, os.path.join(LOG_DIR, "broken", name),
                          pictures=2 if drawn else 0)
        if g is None:
            continue
        show(g)
        tally.check(suite, "loses points", not g.build_error and g.score < g.max_score,
                    "build failure" if g.build_error else
                    f"scored {results.points(g.score)} of {results.points(g.max_score)}")
        verdicts = {t.name: t.verdict for t in g.tests}
        reasons = {t.name: t.reason for t in g.tests}
        for test in patching.must_lose(patch):
            tally.check(suite, f"{test} not passed", verdicts.get(test, "pass") != "pass",
                        f"{test}: {verdicts.get(test, 'not graded')}")
            for text in patching.must_say(patch, test):
                tally.check(suite, f"{test} says '{text}'", text in reasons.get(test, ""),
                            f"{test}: {verdicts.get(test, 'not graded')}: "
                            f"{reasons.get(test, '')[:300]}")
        if drawn:
            check_report(suite, g, drawn, tally)


def check_report(suite: str, g: results.Grading, texts: list[str], tally: Tally) -> None:
    """The grading report (report.html) of a broken solution draws its mistake: the
    re-run of a failing test shows the texts of `Must draw:` in a picture, in red."""
    path = os.path.join(g.log_dir, "report.html")
    try:
        with open(path) as f:
            html = f.read()
    except OSError:
        html = ""
    pictured = [t.name for t in g.tests if t.pictures]
    for text in texts:
        tally.check(suite, f"report.html draws '{text}'",
                    '<g class="run wrong"' in html and html_escape(text) in html,
                    f"{path}: pictures of {pictured or 'no test'}")


def _grade_source(args, suite: str, source_text: str, tally: Tally,
                  where: str = "", pictures: int = 0) -> results.Grading | None:
    """Grades `source_text` as a single-file submission, kept as `where`/fork.cpp (default:
    build/test/crafted/...), on the graded tests with the default timeout: a broken
    submission can make a long stress test run to its timeout, which takes minutes and
    proves nothing more. None (a failed check recorded) if grading itself broke."""
    source = os.path.join(where or os.path.join(LOG_DIR, "crafted", suite.split("-", 1)[1]),
                          "fork.cpp")
    os.makedirs(os.path.dirname(source), exist_ok=True)
    with open(source, "w") as f:
        f.write(source_text)
    opts = grade_options(args, os.path.join(LOG_DIR, f"grade-{suite}"), graded_only=True,
                         pictures=pictures)
    if not opts.tests:
        opts.tests = quick_graded_tests(args.rubric)
    try:
        g = grade_submissions.grade_submission(source, opts, ".", "build")
    except grade.GradeError as e:
        tally.check(suite, "grading", False, str(e))
        return None
    results.write_json(g, os.path.join(opts.log_dir, "results.json"))
    report_html.write(g, os.path.join(opts.log_dir, "report.html"))
    return g


def check_cheating(args, tally: Tally) -> None:
    """Crafted submissions (grader/cheating.py) that read the solution, print on the
    console or hide assembly are refused, each with its reason; the solution with a
    warning scores full marks and shows the warning."""
    with open(SOLUTION_SRC) as f:
        solution = f.read()
    for c in cheating.crafted(solution, SOLUTION_SRC):
        suite = f"cheat-{c.name}"
        print(f"\n{suite}: {c.what}")
        g = _grade_source(args, suite, c.source, tally)
        if g is None:
            continue
        reasons = sorted({t.reason for t in g.tests})
        print("  verdicts: " + ", ".join(sorted({t.verdict for t in g.tests})) +
              f"; score {results.points(g.score)}; reason: {' | '.join(reasons)}")
        refused = bool(g.tests) and all(t.verdict == "build failure" for t in g.tests)
        tally.check(suite, "refused", refused and g.score == 0,
                    f"verdicts {[t.verdict for t in g.tests]}, score {g.score}")
        said = g.build_error + "\n" + "\n".join(reasons)
        tally.check(suite, "reason given", c.expect in said,
                    f"expected the reason to mention {c.expect!r}; got: {said[-600:]}")
    suite = "warning-not-zero"
    print(f"\n{suite}: the solution with an unused variable")
    g = _grade_source(args, suite, cheating.with_warning(solution), tally)
    if g is None:
        return
    show(g)
    tally.check(suite, "full marks", not g.build_error and g.score == g.max_score > 0,
                f"scored {results.points(g.score)} of {results.points(g.max_score)}"
                + (f"; build failure: {g.build_error[:300]}" if g.build_error else ""))
    tally.check(suite, "warning shown", "unused_variable" in g.build_warnings and
                "unused_variable" in results.gradescope(g)["output"],
                f"warnings: {g.build_warnings!r}")


def _grade_crafted_skeleton(args, suite: str, craft, marker: str,
                            tally: Tally) -> results.Grading | None:
    """The skeleton changed by `craft` (text -> text), graded as a submission; None if
    the change did not take (`marker` missing: the stub text moved) or grading failed."""
    with open(os.path.join("project3", "fork.cpp")) as f:
        crafted = craft(f.read())
    if not tally.check(suite, "crafted", marker in crafted, "the stub text moved"):
        return None
    g = _grade_source(args, suite, crafted, tally)
    if g is not None:
        show(g)
    return g


def check_forged_todo(args, tally: Tally) -> None:
    """The skeleton whose KEOS_TODO text holds `@@ ktest pass` lines passes nothing."""
    suite = "cheat-forged-todo"
    print(f"\n{suite}: the skeleton with protocol lines in a KEOS_TODO text")
    g = _grade_crafted_skeleton(args, suite, cheating.forging_todo, "@@ ktest pass", tally)
    if g is None:
        return
    passed = [t.name for t in g.tests if t.verdict == "pass"]
    tally.check(suite, "passes nothing", not passed and g.score == 0 and bool(g.tests),
                f"passed: {passed}, score {results.points(g.score)}")


def check_hanging(args, tally: Tally) -> None:
    """The skeleton whose fork spins forever: fork_basic times out in seconds (its time
    is derived from the reference solution's) and the reason names the function and the
    line of project3/fork.cpp where the CPU was when the boot was stopped."""
    suite = "hanging-fork"
    print(f"\n{suite}: the skeleton with an endless loop in LazyPager::write_protect_ptes")
    args_one = argparse.Namespace(**{**vars(args), "tests": "fork_basic"})
    g = _grade_crafted_skeleton(args_one, suite, cheating.hanging, "spin", tally)
    if g is None:
        return
    t = next((t for t in g.tests if t.name == "fork_basic"), None)
    tally.check(suite, "fork_basic times out", t is not None and t.verdict == "timeout",
                f"verdict {t.verdict if t else 'none'}")
    tally.check(suite, "the reason says where it was stuck", t is not None and
                "write_protect_ptes" in t.reason and "project3/fork.cpp:" in t.reason,
                f"reason: {t.reason if t else ''}")


def check_bench_smoke(args, tally: Tally) -> None:
    """`make bench` at tiny sizes on the solution: every metric must arrive (timings are
    not judged here), so the benchmark suite cannot rot."""
    print("\nbench-smoke: bench/bench.py --smoke on the reference solution")
    out = os.path.join(LOG_DIR, "bench-smoke.json")
    proc = subprocess.run([sys.executable, os.path.join("bench", "bench.py"), "--smoke",
                           "--iso", args.solution_iso, "--mem", args.mem, "--json", out],
                          capture_output=True, text=True)
    print("  " + "\n  ".join((proc.stdout + proc.stderr).strip().splitlines()[-3:]))
    tally.check("bench-smoke", "every metric arrives", proc.returncode == 0,
                (proc.stdout + proc.stderr)[-2000:])
