#!/usr/bin/env python3
"""Writes the kernel's embedded symbol table (format: abyss/include/abyss/symbols.hpp).

  mksyms.py KERNEL.elf OUT.bin        table of the text symbols of KERNEL.elf
  mksyms.py --same A.elf B.elf        fail unless A and B place every text symbol alike,
                                      and B's file is laid out as its physical image
                                      (what the Multiboot 1 header promises QEMU's
                                      loader: abyss/boot/header.asm)

nm is the kernel toolchain's: $CROSS (exported by the Makefile) plus "nm".
"""
import os
import re
import struct
import subprocess
import sys

LINE = re.compile(r"^([0-9a-f]+) (?:([0-9a-f]+) )?([tTwW]) (.+)$")


def text_symbols(elf):
    out = subprocess.run([os.environ.get("CROSS", "") + "nm", "-n", "-S", "-C", "--defined-only", elf],
                         check=True, capture_output=True, text=True).stdout
    symbols = []
    for line in out.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        address, size, _, name = m.groups()
        if name.startswith(".") or name.startswith("$"):
            continue
        symbols.append((int(address, 16), int(size or "0", 16), name))
    symbols.sort()
    return symbols


def write_table(elf, out_path):
    entries, names = [], bytearray()
    for address, size, name in text_symbols(elf):
        entries.append(struct.pack("<QII", address, min(size, 0xffffffff), len(names)))
        names += name.encode() + b"\0"
    with open(out_path, "wb") as f:
        f.write(b"KSYM" + struct.pack("<I", len(entries)))
        f.write(b"".join(entries))
        f.write(names)


def load_segments(elf):
    """(file offset, physical address, file size) of each PT_LOAD segment."""
    with open(elf, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        sys.exit(f"mksyms: {elf} is not a 64-bit ELF file")
    phoff, = struct.unpack_from("<Q", data, 32)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    segments = []
    for i in range(phnum):
        p_type, _, p_offset, _, p_paddr, p_filesz = struct.unpack_from(
            "<IIQQQQ", data, phoff + i * phentsize)
        if p_type == 1:
            segments.append((p_offset, p_paddr, p_filesz))
    return segments


def check_flat(elf):
    """Every loaded segment at the file offset matching its physical address (one
    difference for all), so the file read from the first one on is the memory image."""
    shifts = {offset - paddr for offset, paddr, _ in load_segments(elf)}
    if len(shifts) != 1:
        sys.exit(f"mksyms: {elf}: the loaded segments are not at file offsets that match "
                 "their physical addresses; QEMU's -kernel loader (Multiboot 1) would load "
                 "it wrong (abyss/boot/header.asm)")


def main(argv):
    if len(argv) == 4 and argv[1] == "--same":
        a, b = text_symbols(argv[2]), text_symbols(argv[3])
        if a != b:
            sys.exit(f"mksyms: text symbols moved between {argv[2]} and {argv[3]}")
        check_flat(argv[3])
        return
    if len(argv) != 3:
        sys.exit(__doc__)
    write_table(argv[1], argv[2])


if __name__ == "__main__":
    main(sys.argv)
