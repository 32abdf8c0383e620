"""The outcome of every check that `make test` (grader/check.py) makes: counted, printed
when it fails, and kept for the JUnit report."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import results  # noqa: E402


class Tally:
    """Every check's outcome: counted, printed when it fails, kept for JUnit."""

    def __init__(self):
        self.passed = self.failed = 0
        self.cases: dict[str, list[results.Case]] = {}

    def check(self, suite: str, name: str, ok: bool, why: str = "", time_s: float = 0.0,
              quiet: bool = False) -> bool:
        failure = None if ok else ("check", why or "failed")
        self.cases.setdefault(suite, []).append(
            results.Case(f"check.{suite}", name, time_s, failure, why))
        if ok:
            self.passed += 1
            if not quiet:
                print(f"  ok      {suite}/{name}")
        else:
            self.failed += 1
            print(f"  FAIL    {suite}/{name}: {why}")
        return ok

    def count(self, suite: str, passed: int, failed: int, output: str) -> None:
        self.cases.setdefault(suite, []).append(results.Case(
            f"check.{suite}", suite, 0.0,
            ("check", f"{failed} failed") if failed else None, output if failed else ""))
        self.passed, self.failed = self.passed + passed, self.failed + failed
