#!/usr/bin/env python3
"""`make gradescope`: build/gradescope/autograder.zip, the autograder Gradescope runs.

It holds the handout's files (grader/handout.py: never the reference solution or any
other staff-only file) at its top, which Gradescope unpacks in /autograder/source, plus
the two files Gradescope looks for there: setup.sh (installs the tools and builds the
skeleton, once per image) and run_autograder (grades one submission). Python standard
library only.
"""

from __future__ import annotations

import argparse
import os
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import handout  # noqa: E402

TOP = {"setup.sh": os.path.join("grader", "gradescope", "setup.sh"),
       "run_autograder": os.path.join("grader", "gradescope", "run_autograder")}


def make_zip(root: str, out: str) -> list[str]:
    """Writes the bundle of the tree at `root` to `out`; returns the names in it."""
    files = handout.tree_files(root)
    staff = handout.read_globs(os.path.join(root, handout.STAFF_ONLY))
    leaked = [f for f in files if handout.matches(f, staff)]
    if leaked:  # tree_files leaves them out; this guards that promise
        raise SystemExit(f"gradescope: staff-only files in the bundle: {', '.join(leaked)}")
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    names = []
    tmp = out + ".tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        entries = [(name, os.path.join(root, src)) for name, src in TOP.items()]
        entries += [(rel, os.path.join(root, rel)) for rel in files]
        for name, path in entries:
            info = zipfile.ZipInfo.from_file(path, name)
            info.date_time = (1980, 1, 1, 0, 0, 0)  # reproducible
            executable = os.stat(path).st_mode & 0o111
            info.external_attr = ((0o755 if executable else 0o644) | 0o100000) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as f:
                z.writestr(info, f.read())
            names.append(name)
    os.replace(tmp, out)
    return names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=".")
    parser.add_argument("--out", default=os.path.join("build", "gradescope", "autograder.zip"))
    args = parser.parse_args()
    names = make_zip(args.root, args.out)
    print(f"gradescope: {args.out}: setup.sh, run_autograder and the handout's "
          f"{len(names) - len(TOP)} files (no staff-only file); upload it as the "
          "assignment's autograder (docs/grading.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
