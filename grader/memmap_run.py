#!/usr/bin/env python3
"""`make memmap PROG=name [ARGS=...] [SOLUTION=1]`: runs one user program with the
kernel's memory-map snapshots on (the kernel command-line word `memmap`) and writes
build/memmap/index.html, one self-contained page with every snapshot as a picture
(grader/memmap_svg.py). The boot's console log is kept beside it (run.log).

With the student's kernel before fork is written, the program stops at the first
KEOS_TODO stub: the page says so, and shows the snapshots taken before it (if any).
--from-log renders a kept log again without booting; --fork-svg writes the picture of the
first fork snapshot alone (docs/project3.md's pictures).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from html import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktest  # noqa: E402
import memmap  # noqa: E402
import memmap_html  # noqa: E402
import memmap_svg  # noqa: E402
import run as run_mod  # noqa: E402


def boot_program(args) -> list[str]:
    """Boots the kernel with snapshots on, running the program; the console lines."""
    cmdline = f"memmap memmap.faults={args.faults} memmap.max={args.max}"
    log = os.path.join(args.out, "run.log")
    boot = ktest.Boot(args.iso, ncpu=args.ncpu, mem=args.mem, cmdline=cmdline,
                      timeout=args.timeout, kvm=args.kvm, log_path=log)
    with tempfile.TemporaryDirectory(prefix="keos-memmap-") as tmp:
        run_mod.add_program_files(args, boot, tmp)
        result = ktest.run(boot)
    return result.lines


def outcome(lines: list[str]) -> str:
    """How the program ended, in words."""
    if memmap.todo_of(lines) is not None:
        return "stopped at a function that is not written yet (KEOS_TODO)"
    for line in lines:
        if line.startswith("@@ exit "):
            return f"exited with {line.split()[2]}"
        if line.startswith("@@ exit-error "):
            return "could not start: " + line[len("@@ exit-error "):]
    if any(line.startswith("@@ panic") for line in lines):
        return "the kernel panicked"
    return "did not finish (time-out, or the kernel stopped)"


def program_output(lines: list[str]) -> str:
    out = bytearray()
    for line in lines:
        if line.startswith("@@ out "):
            out += ktest.unescape(line[7:].partition(" ")[2])
    return out.decode("utf-8", "replace")


def page_of(lines: list[str], title: str) -> tuple[str, list[memmap.Snapshot]]:
    snaps = memmap.parse(lines)
    todo = memmap.todo_of(lines)
    body = [f"<h1>{escape(title)}</h1>",
            f"<p>The program {escape(outcome(lines))}; {len(snaps)} snapshot(s).</p>"]
    if todo is not None:
        body.append(
            '<p class="wrong"><b>fork is not implemented in this kernel:</b> the program '
            f"reached the stub {escape(ktest.todo_text(todo))}, so there is no copy-on-write "
            "to show yet. Write the functions of project3/fork.cpp (or run with SOLUTION=1 "
            "in the staff tree) and run make memmap again."
            + (" The snapshots taken before it are below." if snaps else "") + "</p>")
    if not any(line.startswith("@@ memmap on") for line in lines):
        body.append('<p class="wrong">This kernel printed no "@@ memmap on" line: it was '
                    "not started with snapshots on, or stopped before.</p>")
    body.append(memmap_html.legend())
    body.append("<details><summary>the program's output</summary><pre>"
                f"{escape(program_output(lines))}</pre></details>")
    body.append(memmap_html.snapshot_sections(snaps))
    return memmap_html.page(title, "\n".join(body)), snaps


def fork_svg(snaps: list[memmap.Snapshot]) -> str | None:
    prev = None
    for snap in snaps:
        if snap.why == "fork":
            return '<?xml version="1.0" encoding="UTF-8"?>\n' + memmap_svg.draw(snap, prev) + "\n"
        prev = snap
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iso", default=os.path.join("build", "keos-student.iso"))
    parser.add_argument("--prog", default="")
    parser.add_argument("--args", default="")
    parser.add_argument("--stdin", default="")
    parser.add_argument("--extra-progs", default="")
    parser.add_argument("--ncpu", type=int, default=1,
                        help="CPUs (default 1: the same pictures every run)")
    parser.add_argument("--mem", default="512M")
    parser.add_argument("--kvm", action="store_true")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--faults", type=int, default=8, help="write faults to record")
    parser.add_argument("--max", type=int, default=64, help="snapshots to record")
    parser.add_argument("--out", default=os.path.join("build", "memmap"))
    parser.add_argument("--from-log", help="render this console log instead of booting")
    parser.add_argument("--fork-svg", help="also write the first fork snapshot's SVG here")
    parser.add_argument("--title", default="")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if args.from_log:
        with open(args.from_log, errors="replace") as f:
            lines = f.read().splitlines()
    else:
        if not args.prog:
            print("memmap: name a program: make memmap PROG=cow_data [ARGS=...]", file=sys.stderr)
            return 2
        lines = boot_program(args)
    kernel = os.path.basename(args.iso).removesuffix(".iso").removeprefix("keos-")
    title = args.title or (f"Memory map of {args.prog} {args.args}".rstrip()
                           + f" ({kernel} kernel)")
    html, snaps = page_of(lines, title)
    path = os.path.join(args.out, "index.html")
    with open(path, "w") as f:
        f.write(html)
    if args.fork_svg:
        svg = fork_svg(snaps)
        if svg is None:
            print("memmap: no fork snapshot to draw", file=sys.stderr)
            return 1
        with open(args.fork_svg, "w") as f:
            f.write(svg)
        print(f"memmap: {args.fork_svg}")
    print(f"memmap: {args.prog or args.from_log} {outcome(lines)}; {len(snaps)} snapshot(s) in "
          f"{path}" + ("" if args.from_log else f" (console log {os.path.join(args.out, 'run.log')})"))
    todo = memmap.todo_of(lines)
    if todo is not None:
        print(f"memmap: fork is not implemented in this kernel (stopped at "
              f"{ktest.todo_text(todo)}): the page says so", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
