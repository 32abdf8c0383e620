#!/usr/bin/env python3
"""Writes compile_commands.json, the compile database of editors (clangd, VS Code), from
the build itself (`make compdb`).

  compdb.py --out compile_commands.json -- make -n -B TARGET...

runs the given make command (a dry run that forces every object: it prints each compile
command without running it) and keeps every command that compiles one source file, with
its real flags: the kernel's (C++, freestanding; the student's file with its own flags),
the host unit tests' (HOSTCXX) and the user programs' (through userland/keos-cc, whose
own flags are read with KEOS_CC_PRINT=1). A file compiled twice (a kernel source that the
unit tests compile too) keeps both entries, the kernel's first: clangd uses the first.
Python standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys

SOURCE_SUFFIXES = (".c", ".cc", ".cpp")
COMPILERS = ("gcc", "g++", "cc", "c++", "clang", "clang++")


def is_compiler(word: str) -> bool:
    base = os.path.basename(word)
    return base == "keos-cc" or any(base == c or base.endswith("-" + c) for c in COMPILERS)


def expand_keos_cc(root: str, argv: list[str]) -> list[str]:
    """keos-cc's command line as the compiler it runs sees it, compiling only."""
    args = argv[1:] if "-c" in argv else ["-c"] + argv[1:]
    env = dict(os.environ, KEOS_CC_PRINT="1")
    out = subprocess.run([os.path.join(root, "userland", "keos-cc")] + args, cwd=root,
                         env=env, capture_output=True, text=True, check=True).stdout
    return out.splitlines()


def entry_of(root: str, line: str) -> dict | None:
    """The database entry of one line of `make -n` output, or None if it compiles no
    single source file."""
    try:
        argv = shlex.split(line)
    except ValueError:
        return None
    for i, word in enumerate(argv):  # the command ends where the shell's syntax begins
        if word in ("||", "&&", ";", "|") or word.startswith((">", "2>", "<")):
            argv = argv[:i]
            break
    if not argv or not is_compiler(argv[0]):
        return None
    sources = [a for a in argv[1:] if a.endswith(SOURCE_SUFFIXES)
               and os.path.isfile(os.path.join(root, a))]
    if len(sources) != 1:
        return None
    if os.path.basename(argv[0]) == "keos-cc":
        argv = expand_keos_cc(root, argv)
    elif "-c" not in argv:
        return None  # a link
    output = argv[argv.index("-o") + 1] if "-o" in argv[:-1] else None
    entry = {"directory": root, "file": os.path.join(root, sources[0]), "arguments": argv}
    if output:
        entry["output"] = os.path.join(root, output)
    return entry


def kind_order(entry: dict) -> int:
    """Kernel first, then user programs, then the host unit tests (built under build/unit)."""
    output = entry.get("output", "")
    return 2 if "/build/unit/" in output else (1 if "/build/userland/" in output
                                               or "/build/compat/" in output else 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="compile_commands.json")
    parser.add_argument("make", nargs=argparse.REMAINDER,
                        help="-- then the dry-run make command")
    args = parser.parse_args()
    command = args.make[1:] if args.make[:1] == ["--"] else args.make
    if not command:
        parser.error("no make command after --")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    proc = subprocess.run(command, cwd=root, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        print(f"compdb: {' '.join(command[:3])} ... failed", file=sys.stderr)
        return 1
    entries = [e for e in (entry_of(root, line) for line in proc.stdout.splitlines()) if e]
    entries.sort(key=kind_order)  # stable: make's order within each kind
    if not entries:
        print("compdb: the dry run compiled nothing", file=sys.stderr)
        return 1
    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(entries, f, indent=1)
        f.write("\n")
    os.replace(tmp, args.out)
    counts = [sum(kind_order(e) == k for e in entries) for k in range(3)]
    print(f"compdb: {args.out}: {len(entries)} entries ({counts[0]} kernel, "
          f"{counts[1]} user programs, {counts[2]} unit tests)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
