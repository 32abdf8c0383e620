"""Where a boot that ran out of time was. Just before the runner stops such a boot, it
asks QEMU (through its QMP socket) for every virtual CPU's registers, and names what each
CPU that was not idle was running: a kernel function and its source line (addr2line on the
kernel's ELF file) or user code. So a test that hangs says "stuck in keos::... at
project3/fork.cpp:57 on CPU 1", not only "did not finish in time".
Python standard library only; every failure here just leaves the reason shorter.
"""

from __future__ import annotations

import collections
import json
import os
import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass


@dataclass
class CpuState:
    index: int
    rip: int
    cpl: int  # 0: kernel, 3: user
    halted: bool  # HLT: idle, waiting for an interrupt


def qmp_arguments(sock_path: str) -> list[str]:
    """QEMU arguments for a QMP socket at `sock_path` that nobody has to connect to."""
    return ["-qmp", f"unix:{sock_path},server=on,wait=off"]


def parse_registers(text: str) -> list[CpuState]:
    """The CPUs of HMP's `info registers -a` output."""
    states = []
    for m in re.finditer(r"CPU#(\d+)(.*?)(?=CPU#\d+|\Z)", text, re.S):
        body = m.group(2)
        rip = re.search(r"\bRIP=([0-9a-fA-F]+)", body)
        cpl = re.search(r"\bCPL=(\d)", body)
        hlt = re.search(r"\bHLT=(\d)", body)
        if rip and cpl:
            states.append(CpuState(int(m.group(1)), int(rip.group(1), 16), int(cpl.group(1)),
                                   bool(hlt and hlt.group(1) == "1")))
    return states


def sampled_states(sock_path: str, samples: int = 5, gap_s: float = 0.03) -> list[CpuState]:
    """Every virtual CPU's state, read `samples` times: for each CPU the instruction
    pointer seen most often (a CPU spinning in a loop is, at any one moment, sometimes in
    the timer's interrupt handler instead), busy if any sample found it busy."""
    seen: dict[int, list[CpuState]] = {}
    for i in range(samples):
        if i:
            time.sleep(gap_s)
        for state in cpu_states(sock_path):
            seen.setdefault(state.index, []).append(state)
    states = []
    for index in sorted(seen):
        busy = [s for s in seen[index] if not s.halted] or seen[index]
        rip, _ = collections.Counter(s.rip for s in busy).most_common(1)[0]
        states.append(next(s for s in busy if s.rip == rip))
    return states


def cpu_states(sock_path: str, timeout: float = 3.0) -> list[CpuState]:
    """Every virtual CPU's state, read through QEMU's QMP socket; [] if it cannot be read."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(sock_path)
            f = s.makefile("rw", encoding="utf-8", newline="\n")

            def reply() -> dict:
                while True:  # skip events
                    line = f.readline()
                    if not line:
                        raise OSError("QMP closed")
                    msg = json.loads(line)
                    if "return" in msg or "error" in msg:
                        return msg

            f.readline()  # the greeting
            for command in ({"execute": "qmp_capabilities"},
                            {"execute": "human-monitor-command",
                             "arguments": {"command-line": "info registers -a"}}):
                f.write(json.dumps(command) + "\n")
                f.flush()
                msg = reply()
            text = msg.get("return", "")
    except (OSError, ValueError):
        return []
    return parse_registers(text if isinstance(text, str) else "")


def symbolize(elf: str, addresses: list[int]) -> dict[int, str]:
    """address -> "function (file:line)" from the kernel's ELF file, for what it knows."""
    # The kernel toolchain's addr2line: $CROSS (the Makefile exports it) plus the name.
    tool = os.environ.get("ADDR2LINE", os.environ.get("CROSS", "") + "addr2line")
    if not addresses or not os.path.exists(elf) or shutil.which(tool) is None:
        return {}
    try:
        out = subprocess.run([tool, "-f", "-C", "-e", elf] + [hex(a) for a in addresses],
                             capture_output=True, text=True, timeout=10).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return {}
    names = {}
    for address, function, place in zip(addresses, out[0::2], out[1::2]):
        if function == "??":
            continue
        place = re.sub(r" \(discriminator \d+\)$", "", place)
        path, _, line = place.rpartition(":")
        # As the tree names it (project3/fork.cpp): the ELF's tree is TREE/build/x.elf; a
        # submission's kernel objects may come from the tree it was built beside.
        for root in (os.path.dirname(os.path.dirname(os.path.abspath(elf))), os.getcwd()):
            if path.startswith(root + os.sep):
                path = os.path.relpath(path, root)
                break
        names[address] = function + (f" ({path}:{line})" if path and path != "??" else "")
    return names


def describe(states: list[CpuState], elf: str | None) -> str:
    """One phrase for where the CPUs were, or "" if nothing is known."""
    busy = [s for s in states if not s.halted]
    if not states:
        return ""
    if not busy:
        return "every CPU was idle (something waited for an event that never came)"
    names = symbolize(elf, [s.rip for s in busy if s.cpl == 0]) if elf else {}
    parts = []
    for s in busy:
        if s.cpl == 3:
            parts.append(f"CPU {s.index} in user code at {s.rip:#x}")
        else:
            parts.append(f"CPU {s.index} in {names.get(s.rip, f'the kernel at {s.rip:#x}')}")
    return "; ".join(parts)
