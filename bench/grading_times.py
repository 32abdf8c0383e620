#!/usr/bin/env python3
"""How long `make grade SUBMISSION=...` takes for three kinds of submission: a correct
one (the reference solution), a broken one (project3/broken/no_tlb_shutdown.patch applied
to it) and one whose every function hangs (the skeleton with each KEOS_TODO replaced by
an endless loop). A measurement, not a test: results go to standard output and
build/bench/grading.json; docs/benchmarks.md keeps them. Staff tree only (it needs the
reference solution). Run from the project root after `make` (the seed of the builds):

  python3 bench/grading_times.py [--jobs 2] [--only correct,broken,hanging] [--before]

--before times the grader of another revision instead (`git archive REV grader` into a
temporary directory; default REV HEAD~1 is wrong once this script's commit is old: pass
the revision that precedes the change to be measured).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOLUTION = os.path.join("project3", "solution", "fork.cpp")
SKELETON = os.path.join("project3", "fork.cpp")
BROKEN = os.path.join("project3", "broken", "no_tlb_shutdown.patch")


def submissions(out_dir: str) -> dict[str, str]:
    sys.path.insert(0, os.path.join(ROOT, "grader"))
    import patching
    with open(SOLUTION) as f:
        solution = f.read()
    with open(BROKEN) as f:
        broken = patching.apply(solution, f.read())
    with open(SKELETON) as f:
        hanging = re.sub(r"KEOS_TODO\([^)]*\);",
                         "for (volatile int spin = 1; spin;) {\n  }", f.read())
    made = {}
    for name, text in (("correct", solution), ("broken", broken), ("hanging", hanging)):
        path = os.path.join(out_dir, name, "fork.cpp")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        made[name] = path
    return made


def grade(grader_dir: str, path: str, jobs: int, log_dir: str) -> dict:
    started = time.monotonic()
    proc = subprocess.run([sys.executable, os.path.join(grader_dir, "grade.py"),
                           "--submission", path, "--jobs", str(jobs), "--log-dir", log_dir,
                           "--color", "never"], capture_output=True, text=True)
    took = time.monotonic() - started
    total = re.search(r"^total: (\S+)/(\S+)", proc.stdout, re.M)
    verdicts: dict[str, int] = {}
    try:
        with open(os.path.join(log_dir, "results.json")) as f:
            for t in json.load(f)["tests"]:
                verdicts[t["verdict"]] = verdicts.get(t["verdict"], 0) + 1
    except (OSError, ValueError, KeyError):
        pass
    return {"seconds": round(took, 1), "exit_status": proc.returncode,
            "score": total.group(0) if total else "-", "verdicts": verdicts}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--only", default="correct,broken,hanging")
    parser.add_argument("--before", nargs="?", const="HEAD~1", metavar="REV")
    parser.add_argument("--json", default=os.path.join("build", "bench", "grading.json"))
    args = parser.parse_args()
    os.chdir(ROOT)
    work = tempfile.mkdtemp(prefix="keos-grading-times-")
    grader_dir = os.path.join(ROOT, "grader")
    if args.before:
        archive = subprocess.run(["git", "archive", args.before, "grader"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", work], input=archive, check=True)
        grader_dir = os.path.join(work, "grader")
    made = submissions(os.path.join(work, "subs"))
    out = {"grader": args.before or "working tree", "jobs": args.jobs,
           "cpus": os.cpu_count(), "load": os.getloadavg()[0], "results": {}}
    for name in args.only.split(","):
        r = grade(grader_dir, made[name], args.jobs,
                  os.path.join("build", "bench", f"grading-{name}"))
        out["results"][name] = r
        print(f"{name:8} {r['seconds']:7.1f} s  {r['score']:14}  exit {r['exit_status']}  "
              f"{r['verdicts']}", flush=True)
    os.makedirs(os.path.dirname(args.json), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    print(f"results: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
