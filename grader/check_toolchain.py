"""`make test`'s checks of what editors and other platforms rely on (grader/check.py):

  compdb/*     `make compdb` writes a compile database with an entry for every compiled
               file (kernel, student's file, unit tests, user programs), each with the
               flags of its kind; clangd reads it and finds no error in the student's
               file, a unit test and a user program (.clangd drops GCC-only flags)
  prefixed/*   a build with CROSS=x86_64-elf- calls only prefixed toolchain programs: in
               a copy of the tree, a real build of the kernel, user programs and ISO with
               a PATH whose first directory holds x86_64-elf-* wrappers (they log, then
               run the host's tools) and, under the unprefixed names (g++, gcc, ld, nm,
               objcopy, ar, readelf, addr2line, gdb, as, cc, c++), traps that log and fail;
               and a dry run of the unit tests' build calls HOSTCXX alone

Python standard library only.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import time

import handout
from tally import Tally

LOG_DIR = os.path.join("build", "test")
PREFIX = "x86_64-elf-"
# The toolchain programs a build may run, under CROSS; and the names that must not run.
PREFIXED_TOOLS = ("g++", "gcc", "ld", "objcopy", "nm", "ar", "readelf", "addr2line", "gdb")
TRAPPED = PREFIXED_TOOLS + ("as", "cc", "c++", "objdump", "strip", "ranlib")
# A build of `make all` must have called at least these through the prefix.
PREFIXED_EXPECTED = ("g++", "gcc", "ld", "objcopy", "nm", "ar")


# ---------------------------------------------------------------------------------------
# The compile database


def expected_sources(root: str) -> dict[str, list[str]]:
    """The files each kind of entry must cover, from the tree's own folders."""
    def files(*patterns: str) -> list[str]:
        return sorted({p for pat in patterns for p in glob.glob(os.path.join(root, pat))})
    return {
        "kernel": files("abyss/src/*.cpp", "abyss/ktests/*.cpp", "keos/src/*.cpp",
                        "keos/src/*/*.cpp", "keos/ktests/*.cpp", "keos/ktests/ktest/*.cpp",
                        "project3/fork.cpp", "project3/solution/fork.cpp",
                        "project3/tests/*.cpp", "bench/*.cpp"),
        "unit": files("abyss/tests/*.cpp", "abyss/tests/support/*.cpp", "keos/tests/*.cpp",
                      "keos/tests/support/*.cpp"),
        "user": files("userland/lib/*.c", "userland/tests/*.c", "project3/tests/user/*.c",
                      "bench/user/*.c", "userland/compat/*.c"),
    }


def kind_of(entry: dict) -> str:
    output = entry.get("output", "")
    if "/build/unit/" in output:
        return "unit"
    if "/build/userland/" in output or "/build/compat/" in output:
        return "user"
    return "kernel"


def database_problems(root: str, entries: list, cross: str, hostcxx: str) -> list[str]:
    """What is wrong with the compile database `entries` of the tree at `root`."""
    problems: list[str] = []
    by_kind: dict[str, set[str]] = {"kernel": set(), "unit": set(), "user": set()}
    for e in entries:
        if not isinstance(e, dict) or not {"directory", "file", "arguments"} <= set(e):
            return [f"an entry without directory, file and arguments: {str(e)[:120]}"]
        if not os.path.isfile(e["file"]):
            problems.append(f"{e['file']}: no such file")
        by_kind[kind_of(e)].add(os.path.realpath(e["file"]))
    for kind, files in expected_sources(root).items():
        missing = [os.path.relpath(f, root) for f in files
                   if os.path.realpath(f) not in by_kind[kind]]
        if missing:
            problems.append(f"no {kind} entry for {', '.join(missing[:5])}"
                            + (f" and {len(missing) - 5} more" if len(missing) > 5 else ""))
    want = {  # kind: (compiler, flags every such entry must have)
        "kernel": (cross + "g++", ("-ffreestanding", "-std=c++20", "-mno-red-zone")),
        "unit": (hostcxx, ("-std=c++20", "-fsanitize=address,undefined")),
        "user": (cross + "gcc", ("-ffreestanding", "-nostdinc", "-isystem")),
    }
    for e in entries:
        compiler, flags = want[kind_of(e)]
        args = e["arguments"]
        rel = os.path.relpath(e["file"], root)
        if os.path.basename(args[0]) != compiler:
            problems.append(f"{rel} ({kind_of(e)}): compiled by {args[0]}, not {compiler}")
        lacking = [f for f in flags if f not in args]
        if lacking:
            problems.append(f"{rel} ({kind_of(e)}): lacks {' '.join(lacking)}")
    return problems[:10]


_DIAGNOSTIC = re.compile(r"^E\[[^\]]*\] \[[\w-]+\] (Line \d+: .*)$", re.M)


def clangd_errors(root: str, db_dir: str, rel: str, whole: bool) -> tuple[list[str], str]:
    """The errors clangd reports on parsing `rel` with the database in db_dir (its own
    self-tests of editing features, "tweaks", aside), and its output's last line.
    `whole` runs those self-tests over the whole file (seconds), else over one line."""
    cmd = ["clangd", f"--compile-commands-dir={db_dir}", f"--check={rel}"]
    if not whole:
        cmd.append("--check-lines=1")
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=300)
    out = proc.stdout + proc.stderr
    last = out.strip().splitlines()[-1] if out.strip() else "(no output)"
    errors = _DIAGNOSTIC.findall(out)
    if "All checks completed" not in out:
        errors.append(f"clangd did not finish (status {proc.returncode}): {last}")
    return errors, last


def check_compdb(tally: Tally, root: str = ".") -> None:
    print("\ncompdb: make compdb, then the database's coverage and flags, then clangd --check")
    out_dir = os.path.join(LOG_DIR, "compdb")
    os.makedirs(out_dir, exist_ok=True)
    db = os.path.join(out_dir, "compile_commands.json")
    if os.path.exists(db):
        os.remove(db)
    env = dict(os.environ)
    for var in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
        env.pop(var, None)
    proc = subprocess.run(["make", "--no-print-directory", "-C", root, "compdb",
                           f"COMPDB_OUT={os.path.abspath(db)}"], env=env,
                          capture_output=True, text=True)
    made = proc.returncode == 0 and os.path.exists(db)
    tally.check("compdb", "make compdb", made, (proc.stdout + proc.stderr)[-800:], quiet=True)
    if not made:
        return
    print("  ok      " + proc.stdout.strip().splitlines()[-1])
    try:
        with open(db) as f:
            entries = json.load(f)
    except ValueError as e:
        tally.check("compdb", "database is JSON", False, str(e))
        return
    problems = database_problems(os.path.abspath(root), entries,
                                 os.environ.get("CROSS", ""), os.environ.get("HOSTCXX", "g++"))
    tally.check("compdb", "every compiled file, with its kind's compiler and flags",
                not problems, "; ".join(problems), quiet=True)
    if not problems:
        print(f"  ok      compdb: {len(entries)} entries: every source covered, flags checked")
    if shutil.which("clangd") is None:
        tally.check("compdb", "clangd", False,
                    "clangd is not installed: scripts/setup.sh clangd (make test needs it)")
        return
    samples = [("project3/fork.cpp", True), ("keos/tests/page_table_test.cpp", False),
               ("userland/tests/sys_open.c", False)]
    for rel, whole in samples:
        if not os.path.exists(os.path.join(root, rel)):
            continue
        errors, last = clangd_errors(root, os.path.abspath(out_dir), rel, whole)
        tally.check("compdb", f"clangd --check={rel}", not errors,
                    f"{len(errors)} error(s): " + "; ".join(errors[:5]), quiet=True)
        if not errors:
            print(f"  ok      compdb: clangd --check={rel}: no errors ({last.split('] ')[-1]})")


# ---------------------------------------------------------------------------------------
# The prefixed toolchain


def write_wrappers(bin_dir: str, driver_dir: str, log: str) -> list[str]:
    """x86_64-elf-NAME for every toolchain program (logs, then runs the host's NAME) and a
    trap under every unprefixed name (logs, fails). The compilers get -B driver_dir,
    where the host's as and ld are, as a cross compiler finds its own assembler and linker
    without PATH. Returns the host tools missing here."""
    os.makedirs(bin_dir, exist_ok=True)
    os.makedirs(driver_dir, exist_ok=True)
    missing = []
    for name in ("as", "ld"):
        real = shutil.which(name)
        link = os.path.join(driver_dir, name)
        if real and not os.path.lexists(link):
            os.symlink(real, link)
    for name in PREFIXED_TOOLS:
        real = shutil.which(name)
        if real is None:
            missing.append(name)
            continue
        extra = f"-B{driver_dir}/ " if name in ("gcc", "g++") else ""
        write_script(os.path.join(bin_dir, PREFIX + name),
                     f'echo "{PREFIX}{name} $*" >> {shlex.quote(log)}\n'
                     f'exec {shlex.quote(real)} {extra}"$@"\n')
    for name in TRAPPED:
        write_script(os.path.join(bin_dir, name),
                     f'echo "UNPREFIXED {name} $* (from: $(ps -o args= -p $PPID 2>/dev/null))"'
                     f' >> {shlex.quote(log)}\n'
                     f'echo "toolcheck: {name} was called without the CROSS prefix" >&2\n'
                     'exit 97\n')
    return missing


def write_script(path: str, body: str) -> None:
    with open(path, "w") as f:
        f.write("#!/bin/sh\n" + body)
    os.chmod(path, 0o755)


def copy_tree(root: str, dest: str) -> None:
    if os.path.exists(dest):
        shutil.rmtree(dest)
    for rel in handout.tree_files(root, staff=True):
        target = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(os.path.join(root, rel), target)


def unit_dry_run_problems(tree: str, env: dict) -> list[str]:
    """The unit tests' compile and link commands (a dry run) must call HOSTCXX only."""
    proc = subprocess.run(["make", "--no-print-directory", "-C", tree, "-n", "-B",
                           f"CROSS={PREFIX}", "HOSTCXX=host-c++", "build/unit/unit_tests"],
                          env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        return [f"make -n unit failed: {proc.stderr.strip()[-300:]}"]
    lines = [ln for ln in proc.stdout.splitlines() if " -o build/unit/" in ln]
    bad = [ln[:100] for ln in lines if not ln.startswith("host-c++ ")]
    if not lines:
        return ["the dry run showed no unit-test command"]
    return [f"not HOSTCXX: {ln}" for ln in bad[:3]]


def check_prefixed_build(args, tally: Tally, root: str = ".") -> None:
    print(f"\nprefixed: a build with CROSS={PREFIX} in a copy of the tree; unprefixed tools "
          "are traps")
    work = os.path.abspath(os.path.join(LOG_DIR, "prefixed"))
    tree, log = os.path.join(work, "tree"), os.path.join(work, "tools.log")
    os.makedirs(work, exist_ok=True)
    if os.path.exists(log):
        os.remove(log)
    missing = write_wrappers(os.path.join(work, "bin"), os.path.join(work, "driver"), log)
    if missing:
        tally.check("prefixed", "host tools", False, f"missing here: {', '.join(missing)}")
        return
    copy_tree(root, tree)
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "CROSS", "HOSTCXX", "CC", "CXX")}
    env["PATH"] = os.path.join(work, "bin") + os.pathsep + env.get("PATH", "")
    started = time.monotonic()
    proc = subprocess.run(["make", "--no-print-directory", "-C", tree, f"-j{args.jobs}",
                           f"CROSS={PREFIX}", "all", "userland"], env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True)
    took = time.monotonic() - started
    with open(os.path.join(work, "make.log"), "w") as f:
        f.write(proc.stdout + proc.stderr)
    calls = open(log).read().splitlines() if os.path.exists(log) else []
    unprefixed = [c for c in calls if c.startswith("UNPREFIXED ")]
    used = {c.split()[0][len(PREFIX):] for c in calls if c.startswith(PREFIX)}
    built = proc.returncode == 0 and os.path.exists(os.path.join(tree, "build",
                                                                 "keos-student.iso"))
    tally.check("prefixed", "make all succeeds", built,
                f"make exited {proc.returncode}; {work}/make.log: "
                + (proc.stdout + proc.stderr)[-600:], quiet=True)
    tally.check("prefixed", "no unprefixed tool called", not unprefixed,
                f"{len(unprefixed)} call(s), in {log}: " + "; ".join(u[:160] for u in unprefixed[:3]), quiet=True)
    not_used = [t for t in PREFIXED_EXPECTED if t not in used]
    tally.check("prefixed", "the prefixed tools were used", built and not not_used,
                f"never called: {', '.join(PREFIX + t for t in not_used)}", quiet=True)
    problems = unit_dry_run_problems(tree, env)
    tally.check("prefixed", "unit tests built by HOSTCXX", not problems, "; ".join(problems),
                quiet=True)
    if built and not unprefixed and not not_used:
        print(f"  ok      prefixed: make all in {took:.0f} s, {len(calls)} tool calls, all "
              f"prefixed ({', '.join(PREFIX + t for t in sorted(used))})")
    if not problems:
        print("  ok      prefixed: the unit tests' commands call HOSTCXX only")
