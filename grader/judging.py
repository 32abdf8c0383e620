"""The verdict of one rubric test from the boot that ran it alone, and the short reason a
student reads: the failure message without the harness's location, the user program's
ASSERT line, the panic message with its backtrace (each frame with its source line), or
where a test that timed out was. Python standard library only.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import ktest
import rubric as rubric_mod
import toolchain

_HARNESS = re.compile(r"^keos/ktests/ktest/[\w./-]+:\d+: ")
_REGISTERS = re.compile(r"^(RIP|RSP|RAX|RBX|RCX|RDX|RSI|RDI|RBP|R\d+)\s+0x")
MAX_FRAMES = 12


def _panic_details(panic: ktest.Panic) -> list[str]:
    """The panic report without its register dump: thread, trap cause, backtrace."""
    out, frames = [], 0
    for line in panic.lines:
        text = line.strip()
        if not text or line.startswith("KERNEL PANIC") or _REGISTERS.match(text):
            continue
        if re.match(r"#\d+", text):
            frames += 1
            if frames > MAX_FRAMES:
                continue
        out.append(text)
    if frames > MAX_FRAMES:
        out.append(f"... {frames - MAX_FRAMES} more frames")
    return out


def kernel_elf_of(iso: str) -> str | None:
    """build/keos-VARIANT.iso -> build/kernel-VARIANT.elf (with debug information)."""
    directory, base = os.path.split(iso)
    if not (base.startswith("keos-") and base.endswith(".iso")):
        return None
    elf = os.path.join(directory, "kernel-" + base[len("keos-"):-len(".iso")] + ".elf")
    return elf if os.path.exists(elf) else None


_FRAME = re.compile(r"^#(\d+)\s+0x([0-9a-fA-F]+)\s")
_PROJECT_PATH = re.compile(r"(?:^|/)((?:abyss|keos|project3|grader|userland)/.*)$")


def add_source_lines(elf: str | None, details: list[str]) -> list[str]:
    """Backtrace lines with the source file and line of each frame (addr2line on the
    kernel's ELF; a return address is looked up one byte back, in its call)."""
    frames = [(i, m) for i, line in enumerate(details) if (m := _FRAME.match(line))]
    if elf is None or not frames or shutil.which(toolchain.tool("addr2line")) is None:
        return details
    addresses = [f"{int(m.group(2), 16) - (1 if int(m.group(1)) > 0 else 0):x}"
                 for _, m in frames]
    try:
        out = subprocess.run([toolchain.tool("addr2line"), "-e", elf] + addresses, capture_output=True,
                             text=True, timeout=30).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return details
    details = list(details)
    for (i, _), where in zip(frames, out):
        where = where.split(" (discriminator")[0].strip()
        # Relative to the project (objects seeded from another tree name its directory).
        m = _PROJECT_PATH.search(where)
        where = m.group(1) if m else where
        if where and not where.startswith("??"):
            details[i] += f"  at {where}"
    return details


def _output_lines(result: ktest.BootResult, name: str) -> list[str]:
    streams = result.output.get(name, {})
    text = b"".join(bytes(streams.get(s, b"")) for s in (1, 2))
    return text.decode("utf-8", "replace").splitlines()


def _user_assertions(result: ktest.BootResult, name: str) -> list[str]:
    return [line.strip() for line in _output_lines(result, name)
            if "ABORT" in line or "assertion" in line][:3]


def judge(test: rubric_mod.RubricTest, result: ktest.BootResult,
          expect_panic: str | None) -> tuple[str, str, list[str]]:
    """(verdict, reason, details) of `test` from the boot that ran it alone."""
    expect = {test.name: expect_panic} if expect_panic is not None else {}
    run = ktest.judge(result, [test.name], expect)[0]
    verdict, reason, details = run.verdict, run.reason, []
    if verdict == "missing":  # the boot ended before the test began
        if result.panic is not None:
            verdict = "panic"
            reason = "before the test started: " + (result.panic.message or "(no message)")
        else:
            verdict = "fail"
            reason = run.reason
    elif verdict == "pass" and result.panic is not None and expect_panic is None:
        verdict = "panic"
        reason = "after the test ended: " + (result.panic.message or "(no message)")
    elif verdict == "pass" and result.cpus is not None and result.cpus != test.cpu:
        verdict = "fail"
        reason = f"the kernel booted {result.cpus} CPUs, the rubric asks for {test.cpu}"
    if verdict == "panic":
        if run.verdict == "panic":
            reason = result.panic.message or "(no message)"
        details = _panic_details(result.panic)
    elif verdict == "fail":
        reason = _HARNESS.sub("", reason)
        details = [f"user program: {line}" for line in _user_assertions(result, test.name)
                   if line not in reason]
        if test.name not in result.ended:  # the boot itself went wrong (QEMU, a reset)
            details += _last_console_line(result)
    elif verdict == "timeout":
        reason = f"no result within {result.boot.timeout:.0f} s"
        if test.name in result.started:
            reason += " (the test started but did not finish)"
        if result.stuck:
            reason += f"; when it was stopped: {result.stuck}"
        details = _last_console_line(result)
        tail = _output_lines(result, test.name)[-3:]
        details += [f"last output: {line}" for line in tail]
    return verdict, reason, details


def _last_console_line(result: ktest.BootResult) -> list[str]:
    console = [line for line in result.lines if line and not line.startswith("@@ ")]
    return [f"last console line: {console[-1]}"] if console else []
