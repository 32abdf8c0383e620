#!/usr/bin/env python3
"""The KeOS compatibility suite (part of `make test`; docs/userland.md, "Bringing KeOS
course programs").

Two kinds of check, counted in make test's "N passed, M failed":

  compat/header/NAME    every header KeOS's user library (kelibc) has exists in
                        userland/lib/include and compiles on its own with userland/keos-cc
                        (with -Werror: a header of ours must not even warn)
  compat/chain/NAME     a file including only NAME can use what kelibc's NAME brings in
  compat/KERNEL/PROG    the course-style program userland/compat/PROG.c, built by
                        compat.mk exactly as a course builds one, runs under QEMU as an
                        extra program (`make run EXTRA_PROGS=` does the same) and prints
                        userland/compat/expected/PROG.out with the exit code compat.txt
                        gives

Programs that fork need project 3, so they run on the reference solution's kernel; where
there is none (the student handout) they are listed as skipped, not counted. The others
run on the solution's kernel when there is one, else on the student's.

Standalone: python3 grader/compat.py --iso build/keos-student.iso
[--solution-iso build/keos-solution.iso] [--only PROG ...] [--show]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ktest  # noqa: E402
from tally import Tally  # noqa: E402

ROOT = os.path.dirname(HERE)
KEOS_CC = os.path.join(ROOT, "userland", "keos-cc")
INCLUDE = os.path.join(ROOT, "userland", "lib", "include")
SUITE = os.path.join(ROOT, "userland", "compat")
BIN = os.path.join(ROOT, "build", "compat", "bin")
LOG_DIR = os.path.join(ROOT, "build", "test", "compat")

# Every header of kelibc (keos-port-facts.md).
KELIBC_HEADERS = ("ctype.h debug.h dirent.h fcntl.h inttypes.h limits.h mman.h round.h stat.h "
                  "stdarg.h stdbool.h stddef.h stdint.h stdio.h stdlib.h string.h "
                  "syscall-nr.h syscall.h thread.h").split()

# What programs get from including one header alone, as kelibc's include chains give it:
# header -> a function body that uses something of every header it brings in.
CHAINS = {
    "stdio.h": "ASSERT(1); va_list ap; (void)ap; bool b = true; size_t s = 1; "
               "int64_t i = INT64_MAX; uint8_t u = UINT8_MAX; (void)b; (void)s; (void)i; (void)u;",
    "syscall.h": "ASSERT(1); int f = O_RDWR | SEEK_END; bool b = false; size_t s = 0; "
                 "int64_t i = 0; struct stat st; struct dirent de; "
                 "(void)f; (void)b; (void)s; (void)i; (void)st; (void)de;",
    "fcntl.h": "int64_t i = O_RDONLY; uint32_t u = UINT32_MAX; (void)i; (void)u;",
    "stddef.h": "size_t s = offsetof(struct { int a; }, a); int64_t i = 0; (void)s; (void)i;",
    "stat.h": "struct stat st; uint64_t u = 0; (void)st; (void)u;",
    "inttypes.h": "int64_t i = 0; const char *f = PRId64; (void)i; (void)f;",
}


def compile_c(source: str, extra: list[str]) -> tuple[bool, str]:
    """Compiles `source` (C text) with keos-cc -fsyntax-only; returns (ok, diagnostics)."""
    with tempfile.TemporaryDirectory(prefix="keos-compat-") as tmp:
        path = os.path.join(tmp, "check.c")
        with open(path, "w") as f:
            f.write(source)
        proc = subprocess.run([KEOS_CC, "-fsyntax-only", *extra, path], capture_output=True,
                              text=True)
    return proc.returncode == 0, (proc.stdout + proc.stderr).strip()


def check_headers(tally: Tally) -> None:
    for name in KELIBC_HEADERS:
        if not os.path.isfile(os.path.join(INCLUDE, name)):
            tally.check("compat", f"header/{name}", False, "missing from userland/lib/include")
            continue
        ok, out = compile_c(f"#include <{name}>\n", ["-Werror"])
        tally.check("compat", f"header/{name}", ok, out)
    for name, body in CHAINS.items():
        ok, out = compile_c(f"#include <{name}>\nvoid f(void) {{ {body} }}\n", [])
        tally.check("compat", f"chain/{name}", ok, out)


class Program:
    """One line of compat.txt: NAME EXIT KERNEL [ARGS...]; KERNEL is `any` or `fork`."""

    def __init__(self, line: str):
        words = line.split()
        self.name, self.exit_code, self.kernel = words[0], int(words[1]), words[2]
        self.args = words[3:]
        if self.kernel not in ("any", "fork"):
            raise ValueError(f"compat.txt: {self.name}: kernel must be any or fork")

    def expected(self) -> bytes:
        with open(os.path.join(SUITE, "expected", self.name + ".out"), "rb") as f:
            return f.read()


def load_programs() -> list[Program]:
    with open(os.path.join(SUITE, "compat.txt")) as f:
        lines = [line for line in f if line.strip() and not line.startswith("#")]
    programs = [Program(line) for line in lines]
    sources = {n[:-2] for n in os.listdir(SUITE) if n.endswith(".c")}
    listed = {p.name for p in programs}
    if sources != listed:
        raise SystemExit(f"compat.txt and userland/compat/*.c differ: {sorted(sources ^ listed)}")
    return programs


def extra_archive(path: str, names: list[str]) -> None:
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as tar:
        for name in names:
            tar.add(os.path.join(BIN, name), arcname=name)


def plan_boot(program: Program, iso: str, label: str, tmp: str, archive: str, args) -> ktest.Boot:
    run_file = os.path.join(tmp, f"{label}-{program.name}.run")
    with open(run_file, "w") as f:
        f.write("\n".join([program.name, *program.args]) + "\n")
    boot = ktest.Boot(iso, ncpu=2, mem=args.mem, timeout=60.0, kvm=args.kvm,
                      log_path=os.path.join(LOG_DIR, f"{label}-{program.name}.log"))
    boot.files["run"] = run_file
    boot.files["extra.tar"] = archive
    return boot


def verdict(program: Program, result: ktest.BootResult) -> tuple[bool, str]:
    """Whether a program's boot ended as expected, and if not, why."""
    log = result.boot.log_path
    code = None
    for line in result.lines:
        if line.startswith("@@ exit "):
            code = int(line.split()[2])
        elif line.startswith("@@ exit-error "):
            return False, f"did not start: {line[14:]} (log {log})"
    if result.panic is not None:
        return False, f"kernel panic: {result.panic.message} (log {log})"
    if code is None:
        return False, f"{'timed out' if result.timed_out else 'no exit line'} (log {log})"
    got = bytes(result.output.get(None, {}).get(1, b""))
    want = program.expected()
    if got != want:
        got_lines, want_lines = got.decode(errors="replace").split("\n"), \
            want.decode(errors="replace").split("\n")
        for i, (g, w) in enumerate(zip(got_lines + [""] * len(want_lines),
                                       want_lines + [""] * len(got_lines))):
            if g != w:
                return False, f"stdout line {i + 1}: got {g!r}, expected {w!r} (log {log})"
    if code != program.exit_code:
        return False, f"exit code {code}, expected {program.exit_code} (log {log})"
    return True, ""


def run_programs(args, tally: Tally, only: list[str] | None = None) -> None:
    programs = [p for p in load_programs() if not only or p.name in only]
    missing = [p.name for p in programs if not os.path.isfile(os.path.join(BIN, p.name))]
    if missing:
        tally.check("compat", "build", False, f"not built (make compat): {' '.join(missing)}")
        return
    if args.solution_iso:
        label, iso, runnable = "solution", args.solution_iso, programs
    else:
        label, iso = "student", args.iso
        runnable = [p for p in programs if p.kernel == "any"]
        for p in programs:
            if p.kernel == "fork":
                print(f"  skip    compat/{p.name}: forks, so it runs on the reference "
                      "solution's kernel, which this tree does not have")
    os.makedirs(LOG_DIR, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="keos-compat-") as tmp:
        archive = os.path.join(tmp, "extra.tar")
        extra_archive(archive, [p.name for p in programs])
        boots = [plan_boot(p, iso, label, tmp, archive, args) for p in runnable]
        # A program of the root file system: program headers 12 KiB into the file.
        far = Program("tiny_elf_far_phdrs 7 any")
        boots.append(plan_boot(far, iso, label, tmp, archive, args))
        results = ktest.run_all(boots, args.jobs)
    for p, result in zip(runnable, results):
        ok, why = verdict(p, result)
        tally.check("compat", f"{label}/{p.name}", ok, why, result.wall_s)
        if getattr(args, "show", False):
            print(bytes(result.output.get(None, {}).get(1, b"")).decode(errors="replace"), end="")
    far_code = [int(line.split()[2]) for line in results[-1].lines if line.startswith("@@ exit ")]
    tally.check("compat", f"{label}/tiny_elf_far_phdrs", far_code == [7],
                f"exit {far_code}, expected [7] (log {results[-1].boot.log_path})")


def check(args, tally: Tally) -> None:
    """The whole suite, for grader/check.py (its arguments: iso, solution_iso, mem, jobs,
    kvm)."""
    check_headers(tally)
    run_programs(args, tally)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iso", required=True)
    parser.add_argument("--solution-iso")
    parser.add_argument("--mem", default="512M")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--kvm", action="store_true")
    parser.add_argument("--only", nargs="*", help="run only these programs")
    parser.add_argument("--show", action="store_true", help="print each program's output")
    args = parser.parse_args()
    tally = Tally()
    if not args.only:
        check_headers(tally)
    run_programs(args, tally, args.only)
    print(f"{tally.passed} passed, {tally.failed} failed")
    return 0 if tally.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
