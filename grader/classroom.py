#!/usr/bin/env python3
"""For GitHub Classroom's autograding (.github/workflows/classroom.yml): after one
`make grade`, each tier of points is a step that passes if the score in the results file
reaches it, so a classroom awards partial credit without grading again.

  classroom.py --at-least 40 [--results build/grade/results.json]

Exit status 0 if the score is at least the tier, 1 if not, 2 if there are no results.
Python standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--at-least", type=float, required=True, metavar="POINTS")
    parser.add_argument("--results", default=os.path.join("build", "grade", "results.json"))
    args = parser.parse_args()
    try:
        with open(args.results) as f:
            score = float(json.load(f)["score"])
    except (OSError, ValueError, KeyError) as e:
        print(f"classroom: no score in {args.results} ({e}): did make grade run?")
        return 2
    ok = score + 1e-9 >= args.at_least
    print(f"classroom: score {score:g} {'reaches' if ok else 'is below'} {args.at_least:g}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
