"""Boots the kernel under QEMU and reads the test protocol it prints.

One `Boot` is one QEMU run: an ISO, a CPU count, memory, and a kernel command line passed
through QEMU's fw_cfg (file `opt/keos/cmdline`), so the same ISO serves every test. The
kernel and root file system the ISO was made of (build/iso-VARIANT/boot/, next to
build/keos-VARIANT.iso) are booted directly by QEMU (`-kernel`, Multiboot 1), which skips
the firmware's disk boot and GRUB: a boot takes a third of the time under emulation.
`direct=False` (or KEOS_BOOT=iso in the environment) boots the ISO through GRUB. The
kernel's console (COM1) is read line by line; lines starting with `@@ ` are the protocol
(see keos/include/keos/test.hpp and abyss/include/abyss/panic.hpp):

    @@ boot cpus=N ms=T
    @@ ktest list NAME [expect-panic=TEXT]
    @@ ktest start NAME free_frames=N
    @@ ktest pass NAME ms=T free_frames=N
    @@ ktest fail NAME ms=T free_frames=N :: REASON
    @@ ktest todo NAME ms=T free_frames=N :: FUNCTION at FILE:LINE
    @@ summary passed=N failed=M todo=K
    @@ panic cpu=N ... @@ panic-end
    @@ todo FUNCTION at FILE:LINE   (a student stub was reached: the test's processes end
                                     and `ktest todo` follows, or, outside a process, a
                                     panic follows)
    @@ out STREAM TEXT     (a user program's output: 1 stdout, 2 stderr; escaped)

`judge()` turns a finished boot into one verdict per test: pass, fail, leak (free frames
after != before), todo (a student stub was reached: not implemented), panic, timeout, or
missing (never started). Python standard library only.
"""

from __future__ import annotations

import concurrent.futures
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

import stuck

# QEMU exits with (code << 1) | 1 for a write of `code` to the isa-debug-exit port.
EXIT_SUCCESS = (0x10 << 1) | 1
EXIT_FAILURE = (0x11 << 1) | 1
EXIT_PANIC = (0x12 << 1) | 1

VERDICTS = ("pass", "fail", "leak", "todo", "panic", "timeout", "missing")


@dataclass
class Boot:
    iso: str
    ncpu: int = 4
    mem: str = "512M"
    cmdline: str = ""
    timeout: float = 60.0
    kvm: bool = False
    log_path: str | None = None
    gdb_port: int | None = None  # wait for GDB on this port before starting the CPU
    gdb_host: str = "127.0.0.1"  # the address it listens on (a container: 0.0.0.0)
    # More fw_cfg files: name (under opt/keos/) -> host path (a user program to run, its
    # input, an archive of extra programs).
    files: dict[str, str] = field(default_factory=dict)
    # More QEMU arguments, appended as they are (`make run QEMU_ARGS="-d int"`).
    qemu_args: list[str] = field(default_factory=list)
    # Boot the ISO's kernel and root file system directly (QEMU's -kernel), if they are there.
    direct: bool = True
    # Seconds one test may run (from its `ktest start`), by name, else test_timeout; None:
    # only the boot's timeout. A test over its time ends the boot (make run boots again
    # after it).
    test_timeout: float | None = None
    test_timeouts: dict[str, float] = field(default_factory=dict)

    def kernel_elf(self) -> str | None:
        """The kernel with its symbols, build/kernel-VARIANT.elf beside the ISO, if there."""
        folder, name = os.path.split(self.iso)
        if not (name.startswith("keos-") and name.endswith(".iso")):
            return None
        elf = os.path.join(folder, "kernel-" + name[len("keos-"):-len(".iso")] + ".elf")
        return elf if os.path.isfile(elf) else None

    def direct_files(self) -> tuple[str, str] | None:
        """The kernel and the root file system the ISO holds, for QEMU's -kernel and
        -initrd; None if they are not next to it (build/iso-VARIANT/boot/) or if direct
        boots are off. QEMU splits -initrd at spaces and commas: such paths take the ISO."""
        if not self.direct or os.environ.get("KEOS_BOOT") == "iso":
            return None
        folder, name = os.path.split(self.iso)
        if not (name.startswith("keos-") and name.endswith(".iso")):
            return None
        boot = os.path.join(folder, "iso-" + name[len("keos-"):-len(".iso")], "boot")
        kernel, rootfs = os.path.join(boot, "kernel.elf"), os.path.join(boot, "rootfs.tar")
        if not (os.path.isfile(kernel) and os.path.isfile(rootfs)):
            return None
        if any(c in path for path in (kernel, rootfs) for c in " ,"):
            return None
        return kernel, rootfs

    def qemu_command(self, cmdline_file: str, qmp: str | None = None) -> list[str]:
        cmd = [
            "qemu-system-x86_64", "-nodefaults", "-M", "pc",
            "-smp", str(self.ncpu), "-m", self.mem,
            "-display", "none", "-monitor", "none", "-serial", "stdio",
            "-no-reboot",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-fw_cfg", f"name=opt/keos/cmdline,file={cmdline_file}",
        ]
        direct = self.direct_files()
        if direct:
            cmd += ["-kernel", direct[0], "-initrd", f"{direct[1]} rootfs"]
        else:
            cmd += ["-cdrom", self.iso, "-boot", "d"]
        for name, path in sorted(self.files.items()):
            cmd += ["-fw_cfg", f"name=opt/keos/{name},file={path}"]
        if qmp:
            cmd += stuck.qmp_arguments(qmp)
        cmd += ["-enable-kvm", "-cpu", "host"] if self.kvm else ["-cpu", "max"]
        if self.gdb_port is not None:
            cmd += ["-gdb", f"tcp:{self.gdb_host}:{self.gdb_port}", "-S"]
        return cmd + self.qemu_args


@dataclass
class Panic:
    message: str = ""
    lines: list[str] = field(default_factory=list)
    complete: bool = False  # the closing `@@ panic-end` arrived


@dataclass
class TestRun:
    name: str
    verdict: str = "missing"
    ms: int | None = None
    reason: str = ""
    free_before: int | None = None
    free_after: int | None = None


@dataclass
class BootResult:
    boot: Boot
    lines: list[str]
    exit_status: int | None
    timed_out: bool
    wall_s: float
    first_test_s: float | None  # from starting QEMU to the first `ktest start` line
    cpus: int | None = None
    listed: list[tuple[str, str | None]] = field(default_factory=list)
    started: list[str] = field(default_factory=list)
    ended: dict[str, tuple[str, int, int, str]] = field(default_factory=dict)
    start_frames: dict[str, int] = field(default_factory=dict)
    summary: tuple[int, int] | None = None
    panic: Panic | None = None
    panic_after: str | None = None  # the test running when the panic began
    # "FUNCTION (FILE:LINE)" of the first student stub reached by the running test (cleared
    # when a test ends: a panic that follows it stopped the kernel at the stub).
    todo: str | None = None
    # Output per test (None: outside any test) and stream (1, 2), as bytes.
    output: dict[str | None, dict[int, bytearray]] = field(default_factory=dict)
    # A boot stopped for time: the test over its own time limit (and that limit), and
    # where the CPUs were (stuck.describe).
    late_test: str | None = None
    late_limit: float | None = None
    stuck: str = ""


def unescape(text: str) -> bytes:
    """Undoes the escaping of `@@ out` lines (keos/include/keos/teletype.hpp)."""
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c != "\\" or i + 1 >= len(text):
            out += c.encode("latin-1", "replace")
            i += 1
            continue
        nxt = text[i + 1]
        if nxt == "n":
            out += b"\n"
        elif nxt == "t":
            out += b"\t"
        elif nxt == "x" and i + 3 < len(text):
            out.append(int(text[i + 2:i + 4], 16))
            i += 2
        else:
            out += nxt.encode("latin-1", "replace")
        i += 2
    return bytes(out)


def todo_text(where: str) -> str:
    """`FUNCTION at FILE:LINE` (a `@@ todo` line's text) as `FUNCTION (FILE:LINE)`."""
    function, _, place = where.partition(" at ")
    return f"{function} ({place})"


def _fields(text: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in text.split() if "=" in part)


def parse(result: BootResult) -> None:
    """Fills the protocol fields of `result` from its lines."""
    current = None
    for line in result.lines:
        if result.panic is not None and not result.panic.complete:
            if line.startswith("@@ panic-end"):
                result.panic.complete = True
            else:
                result.panic.lines.append(line)
                if line.startswith("KERNEL PANIC") and not result.panic.message:
                    result.panic.message = line.split(": ", 1)[-1]
            continue
        if not line.startswith("@@ "):
            continue
        if line.startswith("@@ out "):
            stream, _, text = line[7:].partition(" ")
            if stream in ("1", "2"):
                per_test = result.output.setdefault(current, {1: bytearray(), 2: bytearray()})
                per_test[int(stream)] += unescape(text)
            continue
        words = line[3:].split(" ", 2)
        kind = words[0]
        if kind == "todo":
            if result.todo is None:
                result.todo = todo_text(line[8:])
        elif kind == "boot":
            result.cpus = int(_fields(line).get("cpus", "0"))
        elif kind == "panic":
            result.panic = Panic()
            result.panic_after = current
        elif kind == "summary":
            f = _fields(line)
            result.summary = (int(f.get("passed", 0)), int(f.get("failed", 0)))
        elif kind == "ktest" and len(words) >= 3:
            action, rest = words[1], words[2]
            name, _, tail = rest.partition(" ")
            if action == "list":
                m = re.search(r"expect-panic=(.*)$", tail)
                result.listed.append((name, m.group(1) if m else None))
            elif action == "start":
                current = name
                result.started.append(name)
                result.start_frames[name] = int(_fields(tail).get("free_frames", -1))
            elif action in ("pass", "fail", "todo"):
                head, _, reason = tail.partition(" :: ")
                f = _fields(head)
                result.ended[name] = (action, int(f.get("ms", 0)),
                                      int(f.get("free_frames", -1)), reason)
                current = None
                result.todo = None


def run(boot: Boot, echo=None) -> BootResult:
    """Runs one boot to its end (or its timeout); `echo(line)` sees each line live."""
    if len(boot.cmdline) >= 4000:  # the kernel reads at most 4095 bytes of it
        raise ValueError(f"kernel command line too long ({len(boot.cmdline)} bytes)")
    if shutil.which("qemu-system-x86_64") is None:
        raise SystemExit("qemu-system-x86_64 not found: run scripts/setup.sh")
    with tempfile.NamedTemporaryFile("w", prefix="keos-cmdline-", delete=False) as f:
        f.write(boot.cmdline)
        cmdline_file = f.name
    lines: list[str] = []
    first_test = [None]
    running: list = [None, 0.0]  # the test running now, and since when
    late: list = [None, None, ""]  # the late test, its limit, where the CPUs were
    qmp_dir = tempfile.mkdtemp(prefix="keos-qmp-")
    qmp = os.path.join(qmp_dir, "qmp.sock")
    start = time.monotonic()
    try:
        proc = subprocess.Popen(boot.qemu_command(cmdline_file, qmp), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

        def reader():
            for raw in proc.stdout:
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                if line.startswith("@@ ktest start "):
                    if first_test[0] is None:
                        first_test[0] = time.monotonic() - start
                    running[:] = [line.split()[3], time.monotonic()]
                elif re.match(r"@@ ktest (pass|fail|todo) ", line):
                    running[0] = None
                lines.append(line)
                if echo is not None:
                    echo(line)

        thread = threading.Thread(target=reader, daemon=True)
        thread.start()
        timed_out = False
        while True:
            try:
                proc.wait(timeout=0.25)
                break
            except subprocess.TimeoutExpired:
                pass
            now, test = time.monotonic(), running[0]
            limit = boot.test_timeouts.get(test, boot.test_timeout) if test else None
            if now - start > boot.timeout or (limit is not None and now - running[1] > limit):
                timed_out = True
                if now - start <= boot.timeout:
                    late[:2] = [test, limit]
                late[2] = stuck.describe(stuck.sampled_states(qmp), boot.kernel_elf())
                proc.kill()
                proc.wait()
                break
        thread.join(timeout=5)
    finally:
        os.unlink(cmdline_file)
        shutil.rmtree(qmp_dir, ignore_errors=True)
    result = BootResult(boot, lines, None if timed_out else proc.returncode, timed_out,
                        time.monotonic() - start, first_test[0])
    result.late_test, result.late_limit, result.stuck = late
    parse(result)
    if boot.log_path:
        os.makedirs(os.path.dirname(boot.log_path) or ".", exist_ok=True)
        with open(boot.log_path, "w") as log:
            log.write("# " + " ".join(boot.qemu_command("<cmdline>")) + "\n")
            log.write(f"# cmdline: {boot.cmdline}\n")
            log.write("\n".join(lines) + "\n")
            status = "timeout" if timed_out else f"exit status {proc.returncode}"
            log.write(f"# {status} after {result.wall_s:.2f} s\n")
            if result.stuck:
                log.write(f"# when it was stopped: {result.stuck}\n")
    return result


def _panic_reason(result: BootResult) -> str:
    p = result.panic
    text = p.message or "(no message)"
    frames = [line.strip() for line in p.lines if re.match(r"\s+#\d+", line)]
    if frames:
        text += " | " + " <- ".join(frames[:4])
    return text


def judge(result: BootResult, tests: list[str],
          expect_panic: dict[str, str] | None = None) -> list[TestRun]:
    """One verdict per name in `tests` (in that order) from a finished boot."""
    expect_panic = expect_panic or {}
    runs = []
    for name in tests:
        run_ = TestRun(name, free_before=result.start_frames.get(name))
        if name in result.ended:
            action, ms, frames_after, reason = result.ended[name]
            run_.ms, run_.free_after = ms, frames_after
            if action == "fail":
                run_.verdict, run_.reason = "fail", reason
            elif action == "todo":
                run_.verdict, run_.reason = "todo", f"not implemented: {todo_text(reason)}"
            elif name in expect_panic:
                run_.verdict = "fail"
                run_.reason = f"expected a panic containing '{expect_panic[name]}', got none"
            elif run_.free_before is not None and frames_after != run_.free_before:
                run_.verdict = "leak"
                run_.reason = (f"free frames {run_.free_before} before, {frames_after} after "
                               f"({run_.free_before - frames_after} leaked)")
            else:
                run_.verdict = "pass"
        elif result.panic is not None and result.panic_after == name:
            if name in expect_panic:
                run_.verdict, run_.reason = _judge_expected_panic(result, name,
                                                                  expect_panic[name])
            elif result.todo is not None:
                run_.verdict, run_.reason = "todo", f"not implemented: {result.todo}"
            else:
                run_.verdict, run_.reason = "panic", _panic_reason(result)
        elif name in result.started:
            run_.verdict = "timeout" if result.timed_out else "fail"
            run_.reason = (_timeout_reason(result, name) if result.timed_out else
                           f"the boot ended during the test (exit status {result.exit_status})")
        else:
            run_.verdict = "timeout" if result.timed_out else "missing"
            run_.reason = "never started" + (" (boot timed out)" if result.timed_out else
                                             f" (exit status {result.exit_status})")
        runs.append(run_)
    return runs


def _timeout_reason(result: BootResult, name: str) -> str:
    if result.late_test == name and result.late_limit is not None:
        text = f"did not finish in {result.late_limit:.0f} s"
    else:
        text = "did not finish in time"
    return text + (f"; when it was stopped: {result.stuck}" if result.stuck else "")


def _judge_expected_panic(result: BootResult, name: str, text: str) -> tuple[str, str]:
    p = result.panic
    problems = []
    for part in text.split(" ;; "):
        if part not in p.message and not any(part in line for line in p.lines):
            problems.append(f"panic report (message '{p.message}') lacks '{part}'")
    if not p.complete:
        problems.append("the report did not end with '@@ panic-end'")
    frames = [line for line in p.lines if re.match(r"\s+#\d+", line)]
    if not any("+0x" in line for line in frames):
        problems.append("the report has no symbolized backtrace frame")
    if result.exit_status != EXIT_PANIC:
        problems.append(f"QEMU exit status {result.exit_status}, expected {EXIT_PANIC}")
    return ("fail", "; ".join(problems)) if problems else ("pass", "")


def kvm_usable() -> bool:
    """True if this user can open /dev/kvm (QEMU's -enable-kvm would work)."""
    return os.access("/dev/kvm", os.R_OK | os.W_OK)


def list_tests(iso: str, mem: str = "512M", timeout: float = 120.0, kvm: bool = False,
               log_path: str | None = None, direct: bool = True) -> BootResult:
    """Boots `iso` with `test.list`: its `listed` field holds every test (name and
    expected-panic text or None), empty if the kernel could not list them."""
    return run(Boot(iso, ncpu=1, mem=mem, cmdline="test.list quiet", timeout=timeout,
                    kvm=kvm, log_path=log_path, direct=direct))


def run_all(boots: Sequence[Boot], jobs: int,
            on_start: Callable[[int], None] | None = None,
            on_done: Callable[[int, BootResult], None] | None = None) -> list[BootResult]:
    """Runs every boot, at most `jobs` at a time (each its own QEMU: nothing is shared),
    and returns their results in the order of `boots`. `on_start(i)` and
    `on_done(i, result)` are called as boot i starts and ends (from worker threads, one
    at a time)."""
    lock = threading.Lock()

    def one(i: int) -> BootResult:
        if on_start is not None:
            with lock:
                on_start(i)
        result = run(boots[i])
        if on_done is not None:
            with lock:
                on_done(i, result)
        return result

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(one, range(len(boots))))
