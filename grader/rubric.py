"""The project's rubric (project3/rubric.json): which kernel tests carry points, in which
group, with which timeout, CPU count and memory.

    { "whitelist": [files a student may change],
      "allowed_api": what those files may include and call (grader/integrity.py),
      "reference_times": the reference solution's test times (sizes the timeouts),
      "defaults": { "timeout": 30, "cpu": 4, "mem": "512M" },
      "rubrics": { GROUP: { "points": P, "tests": { NAME_OR_GLOB: { overrides } } } } }

A group's points are shared equally by its tests. A test key may be a glob (`sys_*`),
expanded against the tests the kernel lists; a key that matches no test is an error, so a
typo cannot silently drop a test, and so is an override other than timeout, cpu, mem and
visibility (Gradescope's: visible, hidden, after_due_date, after_published).
Groups with 0 points are regression tests: provided code that the student's skeleton
already passes. A group with points but no tests yet counts for nothing (`empty_groups`),
so the maximum score is the sum of the groups that have tests. Python standard library
only.
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass

SETTINGS = ("timeout", "cpu", "mem", "visibility")
# Gradescope's visibility of a test's result to the student.
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")


@dataclass
class RubricTest:
    name: str
    group: str
    points: float  # this test's share of its group's points
    timeout: float
    cpu: int
    mem: str
    visibility: str = "visible"

    @property
    def graded(self) -> bool:
        """True for the project's tests (they carry points), False for regression tests."""
        return self.points > 0


class RubricError(Exception):
    pass


@dataclass
class Rubric:
    path: str
    whitelist: list[str]
    groups: dict[str, float]  # group -> points
    tests: list[RubricTest]
    project: str = ""
    allowed_api: str = ""  # the API list a submission's files are checked against
    reference_times: str = ""  # the reference solution's measured test times

    def group_sizes(self) -> dict[str, int]:
        """How many tests each group has."""
        return {g: sum(t.group == g for t in self.tests) for g in self.groups}

    def names(self, graded: bool | None = None) -> list[str]:
        return [t.name for t in self.tests if graded is None or t.graded == graded]

    def find(self, name: str) -> RubricTest | None:
        return next((t for t in self.tests if t.name == name), None)

    @property
    def empty_groups(self) -> list[str]:
        """Groups that carry points but have no test (yet): they count for nothing."""
        with_tests = {t.group for t in self.tests}
        return [g for g, p in self.groups.items() if p > 0 and g not in with_tests]

    @property
    def max_score(self) -> float:
        """The most a submission can score: the points of every group that has tests."""
        with_tests = {t.group for t in self.tests}
        return sum(p for g, p in self.groups.items() if g in with_tests)

    def select(self, globs: list[str] | None, graded_only: bool = False) -> list[RubricTest]:
        """The tests matching any of `globs` (all if None or empty), in rubric order."""
        return [t for t in self.tests
                if (not globs or any(fnmatch.fnmatchcase(t.name, g) for g in globs))
                and (t.graded or not graded_only)]


def load(path: str, listed: list[str] | None) -> Rubric:
    """Reads the rubric at `path` and expands its test keys against `listed`. With
    `listed` None (no kernel to ask), every key is taken as a test name as it is."""
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        raise RubricError(f"{path}: {e}") from None
    defaults = {"timeout": 30, "cpu": 4, "mem": "512M", **data.get("defaults", {})}
    groups: dict[str, float] = {}
    tests: list[RubricTest] = []
    seen: dict[str, str] = {}
    for group, spec in data.get("rubrics", {}).items():
        points = float(spec.get("points", 0))
        if points < 0:
            raise RubricError(f"{path}: rubric '{group}' has negative points")
        groups[group] = points
        members: list[tuple[str, dict]] = []
        for key, overrides in spec.get("tests", {}).items():
            unknown = sorted(set(overrides) - set(SETTINGS))
            if unknown:
                raise RubricError(f"{path}: test '{key}' in '{group}' has unknown settings "
                                  f"{', '.join(unknown)} (known: {', '.join(SETTINGS)})")
            if listed is None:
                matched = [key]
            else:
                matched = [n for n in listed if fnmatch.fnmatchcase(n, key)]
            if not matched:
                raise RubricError(f"{path}: rubric '{group}' names '{key}', "
                                  "which matches no kernel test")
            for name in matched:
                if name in seen:
                    raise RubricError(f"{path}: test '{name}' is in both '{seen[name]}' "
                                      f"and '{group}'")
                seen[name] = group
                members.append((name, overrides))
        share = points / len(members) if members else 0.0
        for name, overrides in members:
            settings = {**defaults, **overrides}
            if settings.get("visibility", "visible") not in VISIBILITIES:
                raise RubricError(f"{path}: test '{name}' has visibility "
                                  f"'{settings['visibility']}' (known: "
                                  f"{', '.join(VISIBILITIES)})")
            tests.append(RubricTest(name, group, share, float(settings["timeout"]),
                                    int(settings["cpu"]), str(settings["mem"]),
                                    str(settings.get("visibility", "visible"))))
    return Rubric(path, list(data.get("whitelist", [])), groups, tests,
                  str(data.get("project", "")), str(data.get("allowed_api", "")),
                  str(data.get("reference_times", "")))
