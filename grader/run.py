#!/usr/bin/env python3
"""Boots the kernel once with live console output (`make run`), or under GDB (`make gdb`).

Runs the kernel tests selected by --tests (default: every test that does not expect a
panic) and exits 0 if the kernel reported no failure. With --prog, runs that user program
instead (arguments --args, standard input --stdin, extra programs from --extra-progs, a
directory whose ELF files join the root file system), shows its output as it comes, and
exits with the program's exit code.
"""

from __future__ import annotations

import argparse
import os
import shlex
import tarfile
import tempfile
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


def add_program_files(args, boot: ktest.Boot, tmp: str) -> None:
    """The fw_cfg files of `--prog` mode: the program line, its input, extra programs."""
    run_path = os.path.join(tmp, "run")
    with open(run_path, "w") as f:
        f.write("\n".join([args.prog] + shlex.split(args.args)) + "\n")
    boot.files["run"] = run_path
    if args.stdin:
        stdin_path = os.path.join(tmp, "stdin")
        with open(stdin_path, "w") as f:
            f.write(args.stdin)
        boot.files["stdin"] = stdin_path
    if args.extra_progs:
        extra_path = os.path.join(tmp, "extra.tar")
        with tarfile.open(extra_path, "w", format=tarfile.USTAR_FORMAT) as tar:
            for name in sorted(os.listdir(args.extra_progs)):
                path = os.path.join(args.extra_progs, name)
                with open(path, "rb") as f:
                    is_elf = f.read(4) == b"\x7fELF"
                if os.path.isfile(path) and is_elf:
                    tar.add(path, arcname=name)
        boot.files["extra.tar"] = extra_path


def show_program_line(line: str) -> None:
    """Live output in --prog mode: the program's bytes as they are, kernel lines as lines."""
    if line.startswith("@@ out "):
        stream, _, text = line[7:].partition(" ")
        out = sys.stdout if stream == "1" else sys.stderr
        out.buffer.write(ktest.unescape(text))
        out.flush()
    elif not line.startswith("@@ "):
        print(line, file=sys.stderr, flush=True)


def run_program(args, boot: ktest.Boot) -> int:
    with tempfile.TemporaryDirectory(prefix="keos-run-") as tmp:
        add_program_files(args, boot, tmp)
        result = ktest.run(boot, echo=show_program_line)
    for line in result.lines:
        if line.startswith("@@ exit "):
            code = int(line.split()[2])
            print(f"\nrun: {args.prog} exited with {code}", file=sys.stderr)
            return code & 0xff
        if line.startswith("@@ exit-error "):
            print(f"run: {line[len('@@ exit-error '):]}", file=sys.stderr)
            return 1
    if result.panic is not None:
        print("run: the kernel panicked:\n" + "\n".join(result.panic.lines), file=sys.stderr)
    elif result.timed_out:
        print(f"run: timed out after {args.timeout:.0f} s", file=sys.stderr)
    return 1


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
    parser.add_argument("--elf", required=False, default=os.path.join("build", "kernel-student.elf"))
    parser.add_argument("--prog", default="", help="run this user program instead of tests")
    parser.add_argument("--args", default="", help="its arguments (shell words)")
    parser.add_argument("--stdin", default="", help="its standard input")
    parser.add_argument("--extra-progs", default="", help="a directory of more programs")
    args = parser.parse_args()
    boot = ktest.Boot(args.iso, ncpu=args.ncpu, mem=args.mem, cmdline=cmdline_for(args),
                      timeout=args.timeout, kvm=args.kvm,
                      log_path=os.path.join("build", "run.log"))
    if args.gdb:
        return run_gdb(args, boot)
    if args.prog:
        return run_program(args, boot)
    result = ktest.run(boot, echo=lambda line: print(line, flush=True))
    if result.timed_out:
        print(f"run: timed out after {args.timeout:.0f} s")
        return 1
    if result.panic is not None:
        return 1
    return 0 if result.summary is not None and result.summary[1] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
