"""make test's checks of `make memmap` (grader/memmap_run.py): the page of a fork
program on the reference solution (its content, read back from the console log it was
drawn from), the snapshot call's argument errors with snapshots on, the skeleton's page
(fork not implemented), and the page in a real headless browser (Chromium): it loads
without script errors and shows the processes and shared frames the log holds; a
screenshot is kept in build/test/memmap/. Chromium is installed as the project's set-up
installs packages (scripts/setup.sh browser); where it cannot be, the browser check is
skipped and says so."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile

import memmap
from tally import Tally

OUT = os.path.join("build", "test", "memmap")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def _read(path: str) -> str:
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def _memmap(iso: str, prog: str, out: str, make: bool = False) -> subprocess.CompletedProcess:
    if make:  # exactly what a student types, with the solution's kernel
        cmd = ["make", "--no-print-directory", "memmap", f"PROG={prog}", "SOLUTION=1"]
    else:
        cmd = [sys.executable, os.path.join("grader", "memmap_run.py"), "--iso", iso,
               "--prog", prog, "--out", out]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


def check_page(html: str, snaps: list[memmap.Snapshot], tally: Tally) -> None:
    """The solution's cow_data page against the snapshots of its log."""
    suite = "memmap"
    forks = [s for s in snaps if s.why == "fork"]
    tally.check(suite, "cow_data: snapshots at fork, write faults and the program's call",
                bool(forks) and {"fault-before", "fault-after", "user"} <= {s.why for s in snaps},
                f"kinds: {sorted({s.why for s in snaps})}")
    tally.check(suite, "fork snapshot: parent and child share every page, none writable",
                bool(forks) and len(forks[0].spaces) == 2 and not memmap.problems(forks[0])
                and len(memmap.shared_frames(forks[0])) == len(forks[0].spaces[0].pages),
                f"first fork snapshot: {len(forks[0].spaces)} processes, "
                f"{len(memmap.shared_frames(forks[0]))} shared frames, mistakes "
                f"{list(memmap.problems(forks[0]).values())[:2]}" if forks else "no fork snapshot")
    sections = html.count('<section class="snapshot"')
    tally.check(suite, "page: a section per snapshot", sections == len(snaps) > 0,
                f"{sections} sections, {len(snaps)} snapshots")
    copies = sum(len(memmap.copied_frames(a, b)) for a, b in zip(snaps, snaps[1:]))
    tally.check(suite, "page: copied frames marked", copies > 0 and
                html.count('<g class="frame copied"') >= 1, f"{copies} copies in the log")
    outside = re.findall(r'(?:src|href)="(?!#)[^"]*"|https?://(?!www\.w3\.org/2000/svg)', html)
    tally.check(suite, "page: self-contained (no external script, style or link)",
                not outside, f"found {outside[:3]}")


def check_browser(page: str, snaps: list[memmap.Snapshot], tally: Tally) -> None:
    suite = "memmap"
    setup = subprocess.run(["scripts/setup.sh", "browser"], capture_output=True, text=True)
    chromium = shutil.which("chromium")
    if setup.returncode != 0 or chromium is None:
        why = (setup.stderr.strip().splitlines() or ["chromium not found"])[-1]
        print(f"  SKIPPED memmap/browser: Chromium cannot be installed here ({why})")
        tally.check(suite, "browser check SKIPPED: Chromium cannot be installed here", True)
        return
    url = "file://" + os.path.abspath(page)
    shot = os.path.join(OUT, "memmap.png")
    with tempfile.TemporaryDirectory(prefix="keos-chromium-") as profile:
        base = [chromium] + CHROMIUM_FLAGS + [f"--user-data-dir={profile}"]
        dom = subprocess.run(base + ["--enable-logging=stderr", "--v=0", "--dump-dom", url],
                             capture_output=True, text=True, timeout=120)
    with tempfile.TemporaryDirectory(prefix="keos-chromium-") as profile:
        base = [chromium] + CHROMIUM_FLAGS + [f"--user-data-dir={profile}"]
        subprocess.run(base + [f"--screenshot={shot}", "--window-size=1300,2400", url],
                       capture_output=True, text=True, timeout=120)
    m = re.search(r'<div id="memmap-check"[^>]*>', dom.stdout)
    attrs = dict(re.findall(r'data-([a-z]+)="([^"]*)"', m.group(0))) if m else {}
    console_errors = [line for line in dom.stderr.splitlines()
                      if "CONSOLE" in line and ("Uncaught" in line or "Error" in line)]
    tally.check(suite, "browser: the page's script ran without errors",
                bool(attrs) and attrs.get("errors") == "0" and not console_errors,
                f"check element {attrs or 'missing'}; console: {console_errors[:3]}")
    want_procs = ",".join(str(len(s.spaces)) for s in snaps)
    want_shared = ",".join(str(len(memmap.shared_frames(s))) for s in snaps)
    tally.check(suite, "browser: processes and shared frames per snapshot as in the log",
                attrs.get("processes") == want_procs and attrs.get("shared") == want_shared,
                f"page shows processes {attrs.get('processes')} shared {attrs.get('shared')}; "
                f"log has {want_procs} / {want_shared}")
    tally.check(suite, "browser: screenshot", os.path.getsize(shot) > 10000
                if os.path.exists(shot) else False, shot)
    print(f"  screenshot: {shot}")


def check(args, tally: Tally) -> None:
    print("\nmemmap: make memmap's pages (grader/memmap_run.py), and in a headless browser")
    os.makedirs(OUT, exist_ok=True)
    if args.solution_iso:
        proc = _memmap(args.solution_iso, "cow_data", "", make=True)
        log = _read(os.path.join("build", "memmap", "run.log")).splitlines()
        page = os.path.join("build", "memmap", "index.html")
        ok = proc.returncode == 0 and "@@ exit 0" in log
        tally.check("memmap", "make memmap PROG=cow_data SOLUTION=1", ok,
                    (proc.stdout + proc.stderr)[-1500:])
        if ok:
            shutil.copy(page, os.path.join(OUT, "index.html"))
            snaps = memmap.parse(log)
            check_page(_read(page), snaps, tally)
            check_browser(os.path.join(OUT, "index.html"), snaps, tally)
        out = os.path.join(OUT, "sys_memmap")
        _memmap(args.solution_iso, "sys_memmap", out)
        lines = _read(os.path.join(out, "run.log")).splitlines()
        labels = [s.label for s in memmap.parse(lines)]
        tally.check("memmap", "sys_memmap: argument errors with snapshots on, labels cleaned",
                    "@@ exit 0" in lines and "_b_x__b___q_____n" in labels,
                    f"labels {labels}; exit {[x for x in lines if x.startswith('@@ exit')]}")
    out = os.path.join(OUT, "student")
    proc = _memmap(args.iso, "cow_data", out)
    html = _read(os.path.join(out, "index.html"))
    tally.check("memmap", "skeleton: the page says fork is not implemented",
                proc.returncode == 0 and "fork is not implemented in this kernel" in html,
                (proc.stdout + proc.stderr)[-1500:])
