#!/usr/bin/env python3
"""`make submit`: packs what a student hands in, build/submission.zip, and checks it the
way the grader will read it.

The zip holds the graded files (the rubric's whitelist, at their paths) and SUBMISSION.txt:
the revision (git commit, and whether the tree had uncommitted changes) and the other
files changed since the first commit, which the grader ignores. The check unpacks the zip
as the grader does (grader/submission.py), compiles the graded files in a temporary copy
of this tree and runs the grader's checks on them (grader/integrity.py): a warning is
shown, an error or a refusal is reported and the exit status is 1. Python standard
library only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rubric as rubric_mod  # noqa: E402
import submission  # noqa: E402

OUT = os.path.join("build", "submission.zip")


def git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def note(whitelist: list[str]) -> str:
    head = git("rev-parse", "HEAD") or "(not a git checkout)"
    dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    first = git("rev-list", "--max-parents=0", "HEAD").splitlines()
    changed = set(git("diff", "--name-only", first[0]).splitlines()) if first else set()
    changed |= {line[3:] for line in git("status", "--porcelain").splitlines()}
    others = sorted(p for p in changed if p and p not in whitelist and
                    not p.startswith("build/"))
    lines = [f"revision: {head}{' with uncommitted changes' if dirty else ''}",
             f"graded: {', '.join(whitelist)}",
             "changed outside the graded files (ignored by the grader):"]
    lines += [f"  {p}" for p in others] or ["  (none)"]
    return "\n".join(lines) + "\n"


def main() -> int:
    rubric = rubric_mod.load(os.path.join("project3", "rubric.json"), None)
    missing = [w for w in rubric.whitelist if not os.path.isfile(w)]
    if missing:
        print(f"submit: missing {', '.join(missing)}")
        return 1
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    text = note(rubric.whitelist)
    with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as z:
        for w in rubric.whitelist:
            z.write(w, w)
        z.writestr("SUBMISSION.txt", text)
    shown = text.splitlines()
    print("\n".join(shown[:23] + ([f"  ... and {len(shown) - 23} more (all in SUBMISSION.txt)"]
                                  if len(shown) > 23 else [])))
    work = tempfile.mkdtemp(prefix="keos-submit-")
    try:
        prepared = submission.prepare(OUT, ".", rubric.whitelist, work)
        submission.seed_build("build", prepared.tree)
        log = os.path.join(work, "build.log")
        built = submission.build_submission(prepared.tree, rubric.whitelist,
                                            rubric.allowed_api, "", 2, log)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if built.warnings:
        print("compiler warnings (they cost no points):\n" + built.warnings)
    if not built.ok:
        print("submit: the grader would refuse this (every test 'build failure'):\n"
              + built.errors)
        return 1
    print(f"submit: {OUT} is ready: upload it (or {', '.join(rubric.whitelist)} alone); "
          "it compiles and passes the grader's checks. Run make grade for the score.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
