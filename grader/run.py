#!/usr/bin/env python3
"""Boots the kernel once with live console output (`make run`), or under GDB (`make gdb`).

Runs the kernel tests selected by --tests (default: every test that does not expect a
panic) and exits 0 if the kernel reported no failure.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktest  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cmdline_for(args) -> str:
    words = []
    if args.tests:
        words.append("test=" + ",".join(args.tests.replace(",", " ").split()))
    if args.cmdline:
        words.append(args.cmdline)
    return " ".join(words)


def run_gdb(args, boot: ktest.Boot) -> int:
    boot.gdb_port = free_port()
    boot.timeout = 24 * 3600
    script = os.path.join("build", "gdbinit")
    with open(script, "w") as f:
        f.write("set pagination off\n")
        f.write("set architecture i386:x86-64\n")
        f.write(f"file {args.elf}\n")
        f.write(f"target remote 127.0.0.1:{boot.gdb_port}\n")
    log = os.path.join("build", "gdb-serial.log")
    print(f"run: kernel console in {log} (tail -f it); GDB script {script}")
    out = open(log, "w")
    qemu = threading.Thread(target=ktest.run, args=(boot,),
                            kwargs={"echo": lambda line: (out.write(line + "\n"), out.flush())},
                            daemon=True)
    qemu.start()
    try:
        return subprocess.call(["gdb", "-q", "-x", script])
    finally:
        subprocess.call(["pkill", "-f", f"tcp:127.0.0.1:{boot.gdb_port}"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iso", required=True)
    parser.add_argument("--ncpu", type=int, default=4)
    parser.add_argument("--mem", default="512M")
    parser.add_argument("--tests", default="")
    parser.add_argument("--cmdline", default="", help="extra kernel command-line words")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--kvm", action="store_true")
    parser.add_argument("--gdb", action="store_true")
    parser.add_argument("--elf", default=os.path.join("build", "kernel.elf"))
    args = parser.parse_args()
    boot = ktest.Boot(args.iso, ncpu=args.ncpu, mem=args.mem, cmdline=cmdline_for(args),
                      timeout=args.timeout, kvm=args.kvm,
                      log_path=os.path.join("build", "run.log"))
    if args.gdb:
        return run_gdb(args, boot)
    result = ktest.run(boot, echo=lambda line: print(line, flush=True))
    if result.timed_out:
        print(f"run: timed out after {args.timeout:.0f} s")
        return 1
    if result.panic is not None:
        return 1
    return 0 if result.summary is not None and result.summary[1] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
