"""The reference solution's measured test times (project3/reference_times.json, written by
`grade.py --alone --record-reference`), from which grade.py derives its time-outs.

A test the reference solution has a measured time for (rubric "reference_times": the
wall time of its boot, start to power-off) gets REFERENCE_FACTOR times that time, at
least REFERENCE_FLOOR_S, never more than its rubric timeout, times --timeout-scale and
times how much slower this machine boots now than when the times were measured (the
boot that lists the tests is timed on both; the ratio is kept between 1 and
MAX_SLOWDOWN, so a fast machine never gets tighter timeouts than the reference's).
Python standard library only.
"""

from __future__ import annotations

import json
import os

from results import Grading

REFERENCE_FACTOR = 3.0
REFERENCE_FLOOR_S = 12.0
MAX_SLOWDOWN = 3.0


class ReferenceTimesError(Exception):
    """The file exists but cannot be read."""


def read(path: str) -> tuple[dict[str, float], float | None]:
    """The reference solution's measured times (`--record-reference`): test -> seconds,
    and how long the listing boot took then. No file: no times (rubric timeouts)."""
    try:
        with open(path) as f:
            data = json.load(f)
    except FileNotFoundError:
        return {}, None
    except (OSError, ValueError) as e:
        raise ReferenceTimesError(f"{path}: {e}") from None
    boot = data.get("listing_boot_s")
    return ({str(k): float(v) for k, v in data.get("tests", {}).items()},
            float(boot) if boot else None)


def write(g: Grading, path: str, jobs: int) -> int:
    """Records the boot times of a grading (of the reference solution, each test alone)
    in `path`, keeping the times of tests it did not run; returns how many it recorded.
    Only passed tests count: a failure's time says nothing about what a test needs."""
    times, boot = read(path)
    recorded = {t.name: round(t.time_s, 2) for t in g.tests if t.passed}
    times.update(recorded)
    data = {"about": "seconds the boot of each test took on the reference solution, each "
                     "test alone (grade.py --alone --record-reference, under TCG), and the "
                     "boot that lists the tests; grade.py gives a test "
                     f"{REFERENCE_FACTOR:g} times its time, at least {REFERENCE_FLOOR_S:g} s, "
                     "times how much slower the listing boot is now (at most "
                     f"{MAX_SLOWDOWN:g}x), never more than its rubric timeout "
                     "(docs/grading.md)",
            "jobs": jobs, "cpus": os.cpu_count(),
            "listing_boot_s": round(g.boot_s, 2) if g.boot_s else boot,
            "tests": dict(sorted(times.items()))}
    with open(path, "w") as f:
        json.dump(data, f, indent=2)
        f.write("\n")
    return len(recorded)
