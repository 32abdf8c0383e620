#!/usr/bin/env python3
"""Grades one Gradescope submission (run by run_autograder, from /autograder/source, the
unpacked bundle of `make gradescope`): the files in /autograder/submission, graded like
`make grade SUBMISSION=...`, results in /autograder/results/results.json.

- Parallel boots are sized to the container: no more than its CPUs (affinity and cgroup
  quota), and no more than its memory holds (each boot: the rubric's guest memory plus
  QEMU's own, with room left for the compiler). Guest memory itself is the rubric's: some
  tests depend on it.
- The results file is written at once ("grading started"), again each time a test has its
  verdict, and at the end, so a global time-out still leaves partial credit and a message.
- Each test's output has the reason of a failure and the end of its console log (students
  cannot open the log files there); its visibility is the rubric's.
- Whatever happens, a results file is written and the exit status is 0: an error of the
  grader gives a score of 0 with the error as the message, for staff to see.

AUTOGRADER_ROOT (default /autograder) moves the whole layout, for trying it out locally.
Python standard library only.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
# A grader that cannot even be imported (a file missing from the bundle, a Python the
# image's too old for) must still leave a results file: main() reports IMPORT_ERROR.
try:
    import grade  # noqa: E402
    import grade_submissions  # noqa: E402
    import report  # noqa: E402
    import results  # noqa: E402
    import rubric as rubric_mod  # noqa: E402
    IMPORT_ERROR = ""
except Exception:  # noqa: BLE001
    IMPORT_ERROR = traceback.format_exc()

LOG_TAIL = 25  # console-log lines at the end of a failed test's output
QEMU_OVERHEAD_MB = 160  # what a QEMU process needs beyond its guest's memory
RESERVED_MB = 1024  # the compiler and the grader itself


def cpu_count() -> int:
    """CPUs this process may use: its affinity, capped by a cgroup v2 or v1 quota."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
    quota = None
    try:
        with open("/sys/fs/cgroup/cpu.max") as f:
            q, period = f.read().split()[:2]
            if q != "max":
                quota = int(q) / int(period)
    except (OSError, ValueError):
        try:
            with open("/sys/fs/cgroup/cpu/cpu.cfs_quota_us") as f:
                q = int(f.read())
            with open("/sys/fs/cgroup/cpu/cpu.cfs_period_us") as f:
                if q > 0:
                    quota = q / int(f.read())
        except (OSError, ValueError):
            pass
    if quota is not None:
        cpus = min(cpus, max(1, int(quota)))
    return max(1, cpus)


def memory_mb() -> int:
    """Memory this process may use (MB): the cgroup limit, else the machine's."""
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            with open(path) as f:
                text = f.read().strip()
            if text != "max" and int(text) < 1 << 60:
                return int(text) >> 20
        except (OSError, ValueError):
            continue
    try:
        with open("/proc/meminfo") as f:
            m = re.search(r"MemTotal:\s+(\d+) kB", f.read())
            return int(m.group(1)) >> 10 if m else 2048
    except OSError:
        return 2048


def mem_mb(text: str) -> int:
    """QEMU's memory syntax ("512M", "1G", "512") in MB."""
    m = re.fullmatch(r"(\d+)([MmGg]?)", text.strip())
    if not m:
        return 512
    return int(m.group(1)) * (1024 if m.group(2).lower() == "g" else 1)


def jobs_for(cpus: int, memory: int, guest_mb: int) -> int:
    """Parallel boots the container holds."""
    by_memory = (memory - RESERVED_MB) // (guest_mb + QEMU_OVERHEAD_MB)
    return max(1, min(cpus, by_memory))


def write(path: str, g: results.Grading, message: str = "") -> None:
    """The results file of `g`, with `message` first in its output; atomically."""
    data = results.gradescope(g, LOG_TAIL)
    if message:
        data["output"] = (message + "\n\n" + data["output"]).strip()
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def main() -> int:
    root = os.environ.get("AUTOGRADER_ROOT", "/autograder")
    submission = os.path.join(root, "submission")
    out = os.path.join(root, "results", "results.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    if IMPORT_ERROR:  # results.py may be what failed: the file is written by hand
        print(IMPORT_ERROR, file=sys.stderr)
        message = ("The autograder could not start: its own files failed to load.\n"
                   "Course staff: see the autograder's output.\n" + IMPORT_ERROR[-2000:])
        with open(out + ".tmp", "w") as f:
            json.dump({"score": 0, "output": message, "tests": []}, f, indent=2)
            f.write("\n")
        os.replace(out + ".tmp", out)
        return 0
    started = time.monotonic()
    rubric_path = os.path.join("project3", "rubric.json")
    empty = results.Grading("", {}, {}, [])
    try:
        rubric = rubric_mod.load(rubric_path, None)
        guest = max((mem_mb(t.mem) for t in rubric.tests), default=512)
        cpus, memory = cpu_count(), memory_mb()
        jobs = jobs_for(cpus, memory, guest)
        sizing = (f"container: {cpus} CPUs, {memory} MB; {jobs} boots at a time "
                  f"({guest} MB guests)")
        print(sizing, flush=True)
        write(out, empty, f"Grading started ({sizing}); no test has finished yet.")

        def partial(g: results.Grading) -> None:
            write(out, g, f"Grading in progress: {len(g.tests)} tests finished so far; "
                          "if this stays, the grading was stopped (its time limit).")

        opts = grade.Options(rubric=rubric_path, jobs=jobs, progress=False,
                             on_partial=partial)
        g = grade_submissions.grade_submission(submission, opts, ".", "build")
        g.notes.append(sizing)
        write(out, g)
        report.print_grading(g, sys.stdout, "never")
    except Exception as e:  # noqa: BLE001 -- any failure must still leave a results file
        detail = traceback.format_exc()
        print(detail, file=sys.stderr)
        failed = results.Grading("", {}, {}, [], wall_s=time.monotonic() - started)
        write(out, failed, f"The autograder could not grade this submission: {e}\n"
                           "Course staff: see the autograder's output.\n" + detail[-2000:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
