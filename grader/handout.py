#!/usr/bin/env python3
"""The student handout (`make handout`): the project tree without what only course staff
may see, packed as build/handout.tar.gz under one top directory.

The tree's files are what git knows (tracked, or new and not ignored) when the tree is a
git checkout, else every file; `build/`, `.git` and Python caches never go in. Staff-only
material is listed in grader/staff_only.txt (one glob per line, `dir/` for a whole
directory; that file lists itself). The same file list is the "pristine skeleton" a
submission is copied onto (submission.py). Python standard library only.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import subprocess
import sys
import tarfile

STAFF_ONLY = os.path.join("grader", "staff_only.txt")
ALWAYS_LEFT_OUT = ("build/", ".git/", ".git", "*/__pycache__/*", "__pycache__/*", "*.pyc")
TOP_DIR = "keos-project3"


def read_globs(path: str) -> list[str]:
    """The globs of a staff-only list (blank lines and `#` comments skipped)."""
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.strip() for line in f if line.strip() and not line.startswith("#")]


def matches(rel: str, globs: list[str] | tuple[str, ...]) -> bool:
    """True if the relative path `rel` is one of `globs` (`dir/` matches everything
    under dir)."""
    for g in globs:
        if g.endswith("/"):
            if rel.startswith(g) or rel == g[:-1]:
                return True
        elif fnmatch.fnmatchcase(rel, g):
            return True
    return False


def _git_files(root: str) -> list[str] | None:
    if not os.path.exists(os.path.join(root, ".git")):
        return None
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return [p for p in out.decode().split("\0") if p]


def _walk_files(root: str) -> list[str]:
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        dirnames[:] = [d for d in dirnames
                       if not matches(os.path.normpath(os.path.join(rel_dir, d)) + "/",
                                      ALWAYS_LEFT_OUT)]
        for name in filenames:
            files.append(os.path.normpath(os.path.join(rel_dir, name)))
    return files


def tree_files(root: str, staff: bool = False) -> list[str]:
    """The tree's files (relative paths, sorted); without staff-only ones unless `staff`."""
    files = _git_files(root)
    if files is None:
        files = _walk_files(root)
    globs = [] if staff else read_globs(os.path.join(root, STAFF_ONLY))
    return sorted(p for p in files
                  if os.path.isfile(os.path.join(root, p)) and not os.path.islink(
                      os.path.join(root, p))
                  and not matches(p, ALWAYS_LEFT_OUT) and not matches(p, globs))


def make_tarball(root: str, out: str, top: str = TOP_DIR) -> list[str]:
    """Writes the handout of the tree at `root` to `out` (.tar.gz); returns its files."""
    files = tree_files(root)
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)

    def clean(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mode = 0o755 if info.mode & 0o111 else 0o644
        return info

    tmp = out + ".tmp"
    with tarfile.open(tmp, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        for rel in files:
            tar.add(os.path.join(root, rel), arcname=f"{top}/{rel}", recursive=False,
                    filter=clean)
    os.replace(tmp, out)
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=".", help="the project tree")
    parser.add_argument("--out", default=os.path.join("build", "handout.tar.gz"))
    parser.add_argument("--list", action="store_true", help="only list the files")
    args = parser.parse_args()
    if args.list:
        print("\n".join(tree_files(args.root)))
        return 0
    files = make_tarball(args.root, args.out)
    left_out = read_globs(os.path.join(args.root, STAFF_ONLY))
    print(f"handout: {args.out}: {len(files)} files under {TOP_DIR}/"
          + (f"; left out (staff only): {', '.join(left_out)}" if left_out else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
