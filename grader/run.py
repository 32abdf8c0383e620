#!/usr/bin/env python3
"""Boots the kernel once with live console output (`make run`), or under GDB (`make gdb`).

Runs the kernel tests selected by --tests (default: every test that does not expect a
panic), one readable line each, then a summary (grader/live.py); exits 0 if nothing failed
but tests that wait for an unwritten assignment function. With --prog, runs that user program
instead (arguments --args, standard input --stdin, extra programs from --extra-progs, a
directory whose ELF files join the root file system), shows its output as it comes, and
exits with the program's exit code.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import signal
import tarfile
import tempfile
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktest  # noqa: E402
import live  # noqa: E402
import toolchain  # noqa: E402


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


# Where every part keeps its in-kernel tests (docs/architecture.md, "Layers").
KERNEL_TEST_DIRS = ("abyss/ktests", "keos/ktests", "project3/tests")


def user_program_of(test: str, sources: str | tuple[str, ...] = KERNEL_TEST_DIRS) -> str | None:
    """The user program a kernel test runs: the first `.program = "NAME"` in the test's
    registration or body (KEOS_USER_TEST(test, .program = "NAME", ...)) in the test
    folders `sources`, or None."""
    start = re.compile(r"KEOS_(?:USER_)?TEST(?:_EXPECT_PANIC)?\(\s*" + re.escape(test) + r"\b")
    next_test = re.compile(r"\bKEOS_(?:USER_)?TEST(?:_EXPECT_PANIC)?\(")
    folders = (sources,) if isinstance(sources, str) else sources
    walks = [w for folder in folders for w in sorted(os.walk(folder))]
    for dirpath, _, filenames in walks:
        for name in sorted(filenames):
            if not name.endswith(".cpp"):
                continue
            with open(os.path.join(dirpath, name), errors="replace") as f:
                text = f.read()
            m = start.search(text)
            if m is None:
                continue
            end = next_test.search(text, m.end())
            body = text[m.end():end.start() if end else len(text)]
            prog = re.search(r"\.program\s*=\s*\"([^\"]+)\"", body)
            return prog.group(1) if prog else None
    return None


# GDB commands that print page tables (docs/debugging.md).
PAGETABLE_SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "scripts", "gdb", "pagetable.py")


def gdb_script(path: str, elf: str, port: int, program_elf: str | None) -> None:
    """The GDB script of `make gdb`: symbols, the connection, stops at a panic."""
    lines = [
        "set pagination off",
        "set confirm off",
        "set architecture i386:x86-64",
        f"file {elf}",
    ]
    if os.path.exists(PAGETABLE_SCRIPT):
        # Relative to the tree's top, like the other paths: the same script serves a GDB
        # outside the container that wrote it (docs/platforms.md).
        lines.append(f"source {os.path.relpath(PAGETABLE_SCRIPT)}")  # pagetable, pagewalk
    if program_elf:
        # A static user program linked at its own addresses (userland/user.ld).
        lines.append(f"add-symbol-file {program_elf}")
    lines += [
        f"target remote 127.0.0.1:{port}",
        # Hardware breakpoints: they survive GRUB loading the kernel over memory (KVM).
        "hbreak abyss::panic",
        "hbreak abyss::panic_trap",
    ]
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def apply_rubric_settings(args, boot: ktest.Boot) -> None:
    """A test of the rubric runs under GDB with its graded CPU count and memory."""
    names = args.tests.replace(",", " ").split()
    if not args.rubric or len(names) != 1 or not os.path.exists(args.rubric):
        return
    import rubric as rubric_mod
    try:
        test = rubric_mod.load(args.rubric, None).find(names[0])
    except rubric_mod.RubricError:
        return
    if test is not None:
        boot.ncpu, boot.mem = test.cpu, test.mem
        boot.cmdline += f" expect_cpus={test.cpu}"


def port_in_use(host: str, port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


# `make gdb GDB_WAIT=1`: the script a debugger attaches with (VS Code's launch.json too),
# and QEMU's process id (VS Code's "stop" task ends it).
ATTACH_SCRIPT = os.path.join("build", "gdb", "attach.gdb")
QEMU_PID_FILE = os.path.join("build", "gdb", "qemu.pid")


def wait_for_debugger(boot: ktest.Boot, cmdline_file: str, log: str) -> int:
    """QEMU waits, with no time-out, for a debugger to attach (GDB_WAIT=1) and runs until
    the kernel powers off, the debugger kills it, or Ctrl-C; the console is shown and
    kept in `log`. Exit status 0 if the kernel's tests passed."""
    qemu = subprocess.Popen(boot.qemu_command(cmdline_file), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def interrupted(signum, frame):  # a closed terminal or a stopped task: QEMU goes too
        raise KeyboardInterrupt
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, interrupted)
    with open(QEMU_PID_FILE, "w") as f:
        f.write(f"{qemu.pid}\n")
    print(f"run: waiting for the debugger on {boot.gdb_host}:{boot.gdb_port} (no time-out); "
          f"attach with: {toolchain.tool('gdb')} -x {ATTACH_SCRIPT}", file=sys.stderr,
          flush=True)
    try:
        with open(log, "wb") as out:
            for raw in qemu.stdout:
                out.write(raw)
                out.flush()
                sys.stdout.buffer.write(raw)
                sys.stdout.flush()
        status = qemu.wait()
    except KeyboardInterrupt:
        qemu.kill()
        status = qemu.wait()
    finally:
        if os.path.exists(QEMU_PID_FILE):
            os.remove(QEMU_PID_FILE)
    print(f"run: QEMU exited with status {status}", file=sys.stderr)
    return 0 if status == ktest.EXIT_SUCCESS else 1


def run_gdb(args, boot: ktest.Boot) -> int:
    """QEMU waits for GDB; GDB starts with the kernel's symbols and, for a test that runs
    a user program, the program's. The kernel console goes to build/gdb/serial.log.
    With --gdb-wait, no GDB is started: QEMU waits for one to attach (an editor's) on
    --gdb-port, with no time-out. Neither mode has a time-out: a debugging session lasts
    as long as the person debugging wants."""
    apply_rubric_settings(args, boot)
    boot.gdb_host = os.environ.get("KEOS_GDB_HOST", "127.0.0.1")
    boot.gdb_port = args.gdb_port or free_port()
    if args.gdb_port and port_in_use(boot.gdb_host, args.gdb_port):
        print(f"run: port {args.gdb_port} is in use (another `make gdb` still running? its "
              f"QEMU's process id is in {QEMU_PID_FILE}); choose another with GDB_PORT=",
              file=sys.stderr)
        return 1
    names = args.tests.replace(",", " ").split()
    program = args.prog or (user_program_of(names[0]) if len(names) == 1 else None)
    program_elf = os.path.join("build", "userland", "bin", program) if program else None
    if program_elf and not os.path.exists(program_elf):
        print(f"run: no {program_elf} (a program of the root file system without debug "
              "information?): only the kernel's symbols are loaded", file=sys.stderr)
        program_elf = None
    label = names[0] if len(names) == 1 else "kernel"
    script = os.path.join("build", "gdb", f"{label}.gdb")
    gdb_script(script, args.elf, boot.gdb_port, program_elf)
    if args.gdb_wait:
        gdb_script(ATTACH_SCRIPT, args.elf, boot.gdb_port, program_elf)
    log = os.path.join("build", "gdb", "serial.log")
    print(f"run: {boot.ncpu} CPUs, {boot.mem}; kernel console in {log} (tail -f it); "
          f"GDB script {script}" + (f"; user program {program_elf}" if program_elf else ""),
          file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="keos-gdb-") as tmp:
        if args.prog:
            add_program_files(args, boot, tmp)
        cmdline_file = os.path.join(tmp, "cmdline")
        with open(cmdline_file, "w") as f:
            f.write(boot.cmdline)
        if args.gdb_wait:
            return wait_for_debugger(boot, cmdline_file, log)
        with open(log, "w") as out:
            qemu = subprocess.Popen(boot.qemu_command(cmdline_file), stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=subprocess.STDOUT)
        try:
            return subprocess.call([toolchain.tool("gdb"), "-q", "-x", script] + shlex.split(args.gdb_args))
        finally:
            qemu.kill()
            qemu.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iso", required=True)
    parser.add_argument("--ncpu", type=int, default=4)
    parser.add_argument("--mem", default="512M")
    parser.add_argument("--tests", default="")
    parser.add_argument("--cmdline", default="", help="extra kernel command-line words")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--timeout-scale", type=float, default=1.0,
                        help="multiply every time limit (a slow machine; make run "
                        "TIMEOUT_SCALE=3)")
    parser.add_argument("--kvm", action="store_true")
    parser.add_argument("--gdb", action="store_true")
    parser.add_argument("--gdb-port", type=int, default=0,
                        help="the port QEMU waits for GDB on (default: a free one)")
    parser.add_argument("--gdb-wait", action="store_true",
                        help="start no GDB: QEMU waits for a debugger to attach (an editor)")
    parser.add_argument("--gdb-args", default=os.environ.get("GDB_ARGS", ""),
                        help="more GDB arguments, shell words (default: $GDB_ARGS)")
    parser.add_argument("--qemu-args", default=os.environ.get("QEMU_ARGS", ""),
                        help="more QEMU arguments, shell words (default: $QEMU_ARGS)")
    parser.add_argument("--rubric", default="",
                        help="the rubric: its graded tests run last; under --gdb, a rubric "
                        "test runs with its CPUs and memory")
    parser.add_argument("--verbose", action="store_true",
                        help="show every console line, the protocol's included (make run V=1)")
    parser.add_argument("--elf", required=False, default=os.path.join("build", "kernel-student.elf"))
    parser.add_argument("--prog", default="", help="run this user program instead of tests")
    parser.add_argument("--args", default="", help="its arguments (shell words)")
    parser.add_argument("--stdin", default="", help="its standard input")
    parser.add_argument("--extra-progs", default="", help="a directory of more programs")
    args = parser.parse_args()
    boot = ktest.Boot(args.iso, ncpu=args.ncpu, mem=args.mem, cmdline=cmdline_for(args),
                      timeout=args.timeout * args.timeout_scale, kvm=args.kvm,
                      log_path=os.path.join("build", "run.log"),
                      qemu_args=shlex.split(args.qemu_args))
    if args.gdb:
        return run_gdb(args, boot)
    if args.prog:
        return run_program(args, boot)
    return live.main_run(boot, args.rubric, args.verbose, args.timeout_scale)


if __name__ == "__main__":
    sys.exit(main())
