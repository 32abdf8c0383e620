#!/usr/bin/env python3
"""Everything CI checks (`make test`): the host unit tests (Catch2, and the runner's own
Python tests), then the kernel tests in several boots run in parallel:

  smp4/*  every kernel test at 4 CPUs (one boot; expected-panic tests one boot each)
  smp1/*  every ordinary kernel test at 1 CPU
  smp2/*, smp8/*  the CPU bring-up, IPI and timer tests at 2 and 8 CPUs

Each kernel boot's serial log is kept under build/test/. The last line is the plain
summary `N passed, M failed`; the exit status is 0 only if nothing failed.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import fnmatch
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktest  # noqa: E402

LOG_DIR = os.path.join("build", "test")
SMP_TESTS = ("smp_*", "timer_*", "tlb_*", "thread_runs_on_every_cpu")
# Tests that need more than one CPU; left out of the 1-CPU boot.
MULTI_CPU_TESTS = ("tlb_shootdown_reaches_other_cpu",)


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
    """The runner's own unit tests (grader/test_*.py); returns (passed, failed, output)."""
    import io
    import unittest
    stream = io.StringIO()
    suite = unittest.defaultTestLoader.discover(os.path.dirname(os.path.abspath(__file__)),
                                                pattern="test_*.py")
    result = unittest.TextTestRunner(stream=stream, verbosity=1).run(suite)
    failed = len(result.failures) + len(result.errors)
    return result.testsRun - failed, failed, stream.getvalue()


def list_tests(args) -> list[tuple[str, str | None]]:
    boot = ktest.Boot(args.iso, ncpu=1, mem=args.mem, cmdline="test.list quiet",
                      timeout=args.timeout, kvm=args.kvm,
                      log_path=os.path.join(LOG_DIR, "list.log"))
    result = ktest.run(boot)
    if not result.listed:
        sys.exit(f"check: the kernel listed no tests; see {boot.log_path}")
    return result.listed


def select(names: list[str], globs: list[str]) -> list[str]:
    return [n for n in names if any(fnmatch.fnmatchcase(n, g) for g in globs)]


def plan(args, listed) -> list[tuple[str, ktest.Boot, list[str], dict[str, str]]]:
    """The boots to run: (label, boot, tests judged from it, expected panics)."""
    globs = args.tests.replace(",", " ").split() if args.tests else ["*"]
    names = select([n for n, _ in listed], globs)
    panics = {n: text for n, text in listed if text is not None and n in names}
    ordinary = [n for n in names if n not in panics]
    boots = []

    def add(label, ncpu, tests, expect=None):
        if not tests:
            return
        cmdline = f"quiet test={','.join(tests)} expect_cpus={ncpu}"
        boot = ktest.Boot(args.iso, ncpu=ncpu, mem=args.mem, cmdline=cmdline,
                          timeout=args.timeout, kvm=args.kvm,
                          log_path=os.path.join(LOG_DIR, f"{label}.log"))
        boots.append((label, boot, tests, expect or {}))

    add("smp4", 4, ordinary)
    add("smp1", 1, [n for n in ordinary if n not in MULTI_CPU_TESTS])
    for ncpu in (2, 8):
        add(f"smp{ncpu}", ncpu, select(ordinary, list(SMP_TESTS)))
    for name, text in panics.items():
        add(f"smp4-{name}", 4, [name], {name: text})
    return boots


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iso", required=True)
    parser.add_argument("--unit", help="the Catch2 unit-test binary")
    parser.add_argument("--mem", default="512M")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per boot")
    parser.add_argument("--tests", default="", help="kernel tests to run (globs)")
    parser.add_argument("--kvm", action="store_true")
    args = parser.parse_args()
    os.makedirs(LOG_DIR, exist_ok=True)
    passed = failed = 0

    if args.unit:
        up, uf, out = run_unit(args.unit)
        print(f"unit: {up} passed, {uf} failed (Catch2 test cases)")
        if uf:
            print(out)
        passed, failed = passed + up, failed + uf
        pp, pf, out = run_python_tests()
        print(f"runner: {pp} passed, {pf} failed (Python unit tests)")
        if pf:
            print(out)
        passed, failed = passed + pp, failed + pf

    listed = list_tests(args)
    boots = plan(args, listed)
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(ktest.run, boot): (label, boot, tests, expect)
                   for label, boot, tests, expect in boots}
        results = {}
        for future in concurrent.futures.as_completed(futures):
            label, boot, tests, expect = futures[future]
            results[label] = (future.result(), tests, expect)

    for label, boot, _, _ in boots:
        result, tests, expect = results[label]
        runs = ktest.judge(result, tests, expect)
        first = (f", first test after {result.first_test_s:.2f} s"
                 if result.first_test_s is not None else "")
        print(f"{label}: {boot.ncpu} CPU(s), {result.wall_s:.1f} s{first}, log {boot.log_path}")
        if result.cpus is not None and result.cpus != boot.ncpu:
            print(f"  FAIL {label}: booted {result.cpus} CPUs, asked for {boot.ncpu}")
            failed += 1
        for r in runs:
            ms = f"{r.ms} ms" if r.ms is not None else "-"
            mark = "ok  " if r.verdict == "pass" else r.verdict.upper()
            print(f"  {mark:<7} {label}/{r.name} ({ms})")
            if r.verdict != "pass":
                print(f"          {r.reason}")
                failed += 1
            else:
                passed += 1
    print(f"kernel boots took {time.monotonic() - started:.1f} s with {args.jobs} in parallel")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
