"""Memory-map pictures for the grading report: each fork or copy-on-write test that did
not pass is booted once more, alone, with the kernel's snapshots on (the command-line
word `memmap`), and its console log is kept for the report (grader/report_html.py) and
the Gradescope output (grader/results.py). The graded boot itself takes no snapshots, so
its timing and its verdict are exactly those of any other grading; the picture boot's
verdict is never used (it is shown beside the pictures). Python standard library only.
"""

from __future__ import annotations

import dataclasses
import os
import shutil

import ktest
import memmap
from results import TestResult

GROUPS = ("fork", "copy-on-write")
VERDICTS = ("fail", "leak", "panic", "timeout")
DEFAULT_LIMIT = 4  # picture boots per grading (the first failing tests in rubric order)
SNAPSHOT_FLAGS = "memmap memmap.faults=6 memmap.max=40"


def wanted(tests: list[TestResult], limit: int) -> list[TestResult]:
    """The tests that get pictures: fork and copy-on-write tests that failed, leaked,
    panicked or timed out (a `todo` test never reached fork), at most `limit`."""
    return [t for t in tests if t.group in GROUPS and t.verdict in VERDICTS][:max(0, limit)]


def take(iso: str, tests: list[TestResult], rubric_tests: dict, opts, limit: int
         ) -> list[TestResult]:
    """`tests` with `pictures` set to the console log of a snapshot boot for each of
    wanted(tests, limit). `rubric_tests`: name -> RubricTest (CPUs, memory, timeout)."""
    folder = os.path.join(opts.log_dir, "pictures")
    shutil.rmtree(folder, ignore_errors=True)  # the previous grading's
    chosen = [t for t in wanted(tests, limit) if t.name in rubric_tests]
    if not chosen:
        return tests
    boots = []
    for t in chosen:
        rt = rubric_tests[t.name]
        boots.append(ktest.Boot(iso, ncpu=rt.cpu, mem=rt.mem,
                                cmdline=f"quiet test={t.name} expect_cpus={rt.cpu} "
                                        + SNAPSHOT_FLAGS,
                                timeout=opts.boot_timeout(rt), kvm=opts.kvm,
                                log_path=os.path.join(folder, f"{t.name}.log")))
    ktest.run_all(boots, opts.jobs)
    logs = {t.name: b.log_path for t, b in zip(chosen, boots)}
    return [dataclasses.replace(t, pictures=logs[t.name]) if t.name in logs else t
            for t in tests]


def snapshots_of(log: str) -> tuple[list[memmap.Snapshot], str]:
    """The snapshots of a picture boot's log, and that boot's outcome in words."""
    try:
        with open(log, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return [], "its log is missing"
    result = ktest.BootResult(ktest.Boot(""), lines, None, False, 0.0, None)
    ktest.parse(result)
    ended = list(result.ended.values())
    if result.panic is not None:
        how = "the kernel panicked: " + (result.panic.message or "(no message)")
    elif ended:
        how = ended[0][0] + (f": {ended[0][3]}" if ended[0][3] else "")
    else:
        how = "no verdict (time-out)"
    return memmap.parse(lines), how


def text(log: str, limit: int = 6) -> list[str]:
    """The pictures of a test as plain text (Gradescope): the snapshots that show a
    mistake first, else the first ones."""
    snaps, how = snapshots_of(log)
    if not snaps:
        return [f"memory map: the re-run with snapshots on took none ({how})"]
    bad = [s for s in snaps if memmap.problems(s)]
    shown = {s.seq for s in (bad or snaps)}
    head = [f"memory map (a re-run of this test with snapshots on; it ended: {how}); "
            f"{len(snaps)} snapshot(s), {len(bad)} showing a mistake:"]
    return head + memmap.render_text(snaps, limit, shown)
