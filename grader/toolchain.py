"""The names of the kernel toolchain's programs that the host scripts run (nm, readelf,
addr2line, GDB, the compiler). Each is the Makefile's CROSS prefix, which make exports,
plus its GNU name: `make CROSS=x86_64-elf-` makes the scripts run x86_64-elf-nm and the
rest, and never the host's unprefixed tools (docs/platforms.md). Standard library only.
"""

from __future__ import annotations

import os


def prefix() -> str:
    """The toolchain prefix: $CROSS, empty for the host's own tools."""
    return os.environ.get("CROSS", "")


def tool(name: str) -> str:
    """The command for the toolchain program `name` ("nm", "addr2line", "gdb", "g++")."""
    return prefix() + name
