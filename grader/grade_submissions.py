"""Grading submissions (`make grade SUBMISSION=...` and `SUBMISSIONS=...`): a student's
tree, archive or fork.cpp is put on a pristine copy of the skeleton outside the staff
tree, built and checked (grader/submission.py, grader/integrity.py), then graded like any
kernel (grade.grade_iso); a directory of them is graded one after another, with a CSV of
scores and every graded file laid out for a similarity checker. Python standard library
only.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktest  # noqa: E402
import results  # noqa: E402
import submission  # noqa: E402
from grade import (STUDENT_ISO, GradeError, Options, _clean_log_dir, grade_iso,  # noqa: E402
                   load_rubric, select_tests)
from results import Grading, TestResult  # noqa: E402


def build_failure(opts: Options, errors: str, reason: str, build_log: str,
                  seed_iso: str | None, started: float) -> Grading:
    """Every selected test scores 0 with the verdict "build failure" and `reason`."""
    listed = None
    if seed_iso and os.path.exists(seed_iso):
        listed = [n for n, _ in ktest.list_tests(seed_iso, mem=opts.mem, kvm=opts.kvm,
                                                 timeout=60 * opts.scale).listed] or None
    rubric = load_rubric(opts, listed)
    tests = select_tests(rubric, opts)
    outcome = [TestResult(t.name, t.group, t.points, "build failure", 0.0, reason, [],
                          build_log) for t in tests]
    return Grading(rubric.project or opts.rubric, dict(rubric.groups), rubric.group_sizes(),
                   outcome, build_error=errors, wall_s=time.monotonic() - started,
                   log_dir=opts.log_dir)


def _inside(path: str, top: str) -> bool:
    path, top = os.path.realpath(path), os.path.realpath(top)
    return path == top or path.startswith(top.rstrip("/") + "/")


def grade_submission(path: str, opts: Options, skeleton: str = ".",
                     seed: str | None = "build", work: str | None = None,
                     keep_files: str | None = None) -> Grading:
    """Copies the whitelisted files of the submission at `path` onto a pristine copy of
    the skeleton at `skeleton`, builds it (reusing the outputs of the build directory
    `seed` where they are still valid), checks what the student's files read and use
    (grader/integrity.py) before linking, and grades it. The copy is made in `work`, by
    default a new temporary directory (removed afterwards); never inside the skeleton,
    so that no relative path from the student's file leads to the staff's files.
    `keep_files`: a directory to copy the whitelisted files into, as graded."""
    started = time.monotonic()
    rubric = load_rubric(opts, None)
    if not rubric.whitelist:
        raise GradeError(f"{opts.rubric} has no whitelist: nothing to take from a submission")
    if work is not None and _inside(work, skeleton):
        raise GradeError(f"{work}: a submission must be built outside the tree {skeleton}")
    own_work = work is None
    work = work or tempfile.mkdtemp(prefix="keos-submission-")
    try:
        try:
            prepared = submission.prepare(path, skeleton, rubric.whitelist, work)
        except submission.SubmissionError as e:
            raise GradeError(str(e)) from None
        _clean_log_dir(opts.log_dir)
        if keep_files:
            copy_whitelisted(prepared.tree, rubric.whitelist, keep_files)
        if seed:
            submission.seed_build(seed, prepared.tree)
        build_log = os.path.join(opts.log_dir, "build.log")
        built = submission.build_submission(prepared.tree, rubric.whitelist,
                                            rubric.allowed_api, STUDENT_ISO, opts.jobs,
                                            build_log)
        if built.ok:
            grading = grade_iso(os.path.join(prepared.tree, STUDENT_ISO), opts, clean=False)
        else:
            seed_iso = os.path.join(seed, "keos-student.iso") if seed else None
            grading = build_failure(opts, built.errors, built.reason, build_log, seed_iso,
                                    started)
        grading.build_warnings = built.warnings
        grading.refused = built.refused
        where = "a temporary directory, removed afterwards" if own_work else prepared.tree
        grading.notes = prepared.notes() + [f"submission: built in {where} "
                                            f"(log {build_log})"] + grading.notes
        grading.remarks = prepared.remarks() + [f"refused: {r}" for r in built.refused[:1]]
        grading.wall_s = time.monotonic() - started
        return grading
    finally:
        if own_work:
            shutil.rmtree(work, ignore_errors=True)


def copy_whitelisted(tree: str, whitelist: list[str], dest: str) -> None:
    """The whitelisted files of `tree` into `dest`, at their paths (emptied first)."""
    shutil.rmtree(dest, ignore_errors=True)
    for w in whitelist:
        if os.path.isfile(os.path.join(tree, w)):
            os.makedirs(os.path.dirname(os.path.join(dest, w)), exist_ok=True)
            shutil.copyfile(os.path.join(tree, w), os.path.join(dest, w))


SIMILARITY_BASE = "_skeleton"  # the skeleton's files among the students' (a base file)


def submission_name(entry: str) -> str:
    for ext in (".tar.gz", ".tar.xz", ".tar.bz2", ".tgz", ".tar", ".zip", ".cpp"):
        if entry.endswith(ext):
            return entry[:-len(ext)]
    return entry


def bulk(directory: str, opts: Options, csv_path: str, skeleton: str = ".",
         seed: str | None = "build") -> int:
    """Grades every submission in `directory` (each a tree, an archive or a file), one
    after another; writes one CSV row each and every submission's results under
    log_dir/bulk/NAME/. Every graded file is also laid out for a similarity checker as
    log_dir/similarity/NAME/PATH, with the skeleton's as similarity/_skeleton/PATH (the
    base file: code every student was given). Returns how many could not be graded."""
    entries = sorted(e for e in os.listdir(directory) if not e.startswith("."))
    rubric = load_rubric(opts, None)
    groups = list(rubric.groups)
    similarity = os.path.join(opts.log_dir, "similarity")
    copy_whitelisted(skeleton, rubric.whitelist, os.path.join(similarity, SIMILARITY_BASE))
    rows = [results.csv_header(groups)]
    errors = 0
    for n, entry in enumerate(entries, 1):
        name = submission_name(entry)
        sub = dataclasses.replace(opts, log_dir=os.path.join(opts.log_dir, "bulk", name))
        try:
            g = grade_submission(os.path.join(directory, entry), sub, skeleton, seed,
                                 keep_files=os.path.join(similarity, name))
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
    os.makedirs(os.path.dirname(csv_path) or ".", exist_ok=True)
    with open(csv_path, "w") as f:
        f.write(results.csv_text(rows))
    print(f"bulk: {len(entries)} submissions, {errors} not graded; scores in {csv_path}; "
          f"graded files side by side in {similarity}/ (base: {SIMILARITY_BASE}/)")
    return errors
