#!/usr/bin/env python3
"""Writes one crafted ELF file for the hostile-input tests (keos/ktests/hostile_elf.cpp).

    mkhostile.py OUT      writes the file named by OUT's base name (e.g. bad_elf_wrap)
    mkhostile.py --list   prints every name it knows, one a line

Every file starts from `tiny_elf`, a well-formed static x86-64 executable of one R-X
segment whose code is `exit(7)` through the system-call ABI, and breaks exactly one rule
of the loader's contract (keos/include/keos/process/elf.hpp). `tiny_elf` itself must
load and exit with 7: that proves the other files are refused for their one broken rule,
not because the generator writes nothing a loader would accept.

Standard library only; the output is a pure function of the name (reproducible builds).
"""

import os
import struct
import sys

EHDR_SIZE = 64
PHDR_SIZE = 56
PT_LOAD = 1
PF_X, PF_W, PF_R = 1, 2, 4
ET_EXEC, ET_DYN = 2, 3
EM_X86_64 = 62
BASE = 0x401000  # where user programs are linked (docs/userland.md)

# mov edi, 7; xor eax, eax (SYS_EXIT); syscall; ud2 (exit never returns: if it did, the
# process dies with -1 instead of looping).
EXIT7 = bytes([0xBF, 0x07, 0x00, 0x00, 0x00, 0x31, 0xC0, 0x0F, 0x05, 0x0F, 0x0B])


def phdr(vaddr, offset=0, filesz=None, memsz=None, flags=PF_R | PF_X, ptype=PT_LOAD):
    """A program header; a size left as None becomes the whole file's size."""
    return dict(type=ptype, flags=flags, offset=offset, vaddr=vaddr, filesz=filesz,
                memsz=memsz)


def build(phdrs=None, entry=None, ident_class=2, etype=ET_EXEC, phentsize=PHDR_SIZE,
          phnum=None, vaddr=BASE):
    """The tiny executable with the given changes. The code follows the program headers;
    by default one segment maps the whole file (offset 0) at `vaddr`, and the entry point
    is the code as the first segment maps it."""
    headers = [dict(h) for h in phdrs] if phdrs is not None else [phdr(vaddr)]
    code_at = EHDR_SIZE + PHDR_SIZE * len(headers)
    size = code_at + len(EXIT7)
    for h in headers:
        for key in ("filesz", "memsz"):
            if h[key] is None:
                h[key] = size
    if entry is None:
        entry = headers[0]["vaddr"] - headers[0]["offset"] + code_at
    ident = b"\x7fELF" + bytes([ident_class, 1, 1, 0]) + bytes(8)
    ehdr = ident + struct.pack(
        "<HHIQQQIHHHHHH", etype, EM_X86_64, 1, entry, EHDR_SIZE, 0, 0, EHDR_SIZE,
        phentsize, len(headers) if phnum is None else phnum, 64, 0, 0)
    assert len(ehdr) == EHDR_SIZE
    table = b"".join(
        struct.pack("<IIQQQQQQ", h["type"], h["flags"], h["offset"], h["vaddr"], h["vaddr"],
                    h["filesz"], h["memsz"], 0x1000) for h in headers)
    return ehdr + table + EXIT7


def far_table(table_at=0x3000):
    """The tiny executable with its code right after the ELF header and its program-header
    table at byte `table_at`, past the first pages of the file (ELF allows it anywhere)."""
    code_at = EHDR_SIZE
    size = table_at + PHDR_SIZE
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    ehdr = ident + struct.pack("<HHIQQQIHHHHHH", ET_EXEC, EM_X86_64, 1, BASE + code_at,
                               table_at, 0, 0, EHDR_SIZE, PHDR_SIZE, 1, 64, 0, 0)
    table = struct.pack("<IIQQQQQQ", PT_LOAD, PF_R | PF_X, 0, BASE, BASE, size, size, 0x1000)
    body = ehdr + EXIT7
    return body + bytes(table_at - len(body)) + table


def whole(vaddr, **kw):
    """A segment mapping the whole file at `vaddr`, with fields overridden by `kw`."""
    h = phdr(vaddr)
    h.update(kw)
    return h


KERNEL = 0xFFFFFF0000100000  # the kernel's link address
USER_TOP = 0x0000800000000000
STACK = 0x47470000  # the user stack's first page (keos-port-facts.md)

FILES = {
    # Well formed: must run and exit with 7.
    "tiny_elf": lambda: build(),
    # Well formed too, with its program headers 12 KiB into the file: must exit with 7
    # (grader/compat.py runs it).
    "tiny_elf_far_phdrs": lambda: far_table(),
    # The file ends inside the program-header table.
    "bad_elf_truncated": lambda: build()[:EHDR_SIZE + 20],
    # The file ends inside the ELF header itself.
    "bad_elf_truncated_header": lambda: build()[:40],
    "bad_elf_empty": lambda: b"",
    "bad_elf_magic": lambda: b"\x7fELG" + build()[4:],
    # Two segments that share the page 0x402000 (the first one's bss, the second's data).
    "bad_elf_overlap": lambda: build([whole(BASE, memsz=0x2000),
                                      phdr(BASE + 0x1000, 0, 0, 0x1000, PF_R | PF_W)]),
    # The same page mapped twice exactly.
    "bad_elf_overlap_same": lambda: build([whole(BASE), whole(BASE, flags=PF_R)]),
    # A segment in the kernel's half of the address space, entry inside it.
    "bad_elf_kernel_addr": lambda: build(vaddr=KERNEL),
    # The first page above user space (non-canonical on x86-64).
    "bad_elf_noncanonical": lambda: build(vaddr=USER_TOP),
    # Starts in user space, ends past its top.
    "bad_elf_user_top": lambda: build([whole(USER_TOP - 0x1000, memsz=0x2000)]),
    # vaddr + memsz wraps around 2^64 (back to 0x400000).
    "bad_elf_wrap": lambda: build([whole(BASE, memsz=(1 << 64) - 0x1000)]),
    # offset + filesz wraps around 2^64 (offset congruent with vaddr).
    "bad_elf_offset_wrap": lambda: build([whole(BASE, offset=(1 << 64) - 0x1000,
                                                filesz=0x2000, memsz=0x2000)],
                                         entry=BASE + 0x100),
    # The entry point lies in no segment.
    "bad_elf_entry": lambda: build(entry=0x800000),
    # The entry point lies in a segment that is not executable.
    "bad_elf_entry_nx": lambda: build([whole(BASE, flags=PF_R | PF_W)]),
    # 65535 program headers: far past the end of the file (and any sane limit).
    "bad_elf_phnum": lambda: build(phnum=0xFFFF),
    "bad_elf_phnum0": lambda: build(phnum=0),
    # Program headers of the wrong size (32 bytes: the table would be misread).
    "bad_elf_phentsize": lambda: build(phentsize=32),
    "bad_elf_filesz_gt_memsz": lambda: build([whole(BASE, memsz=8)]),
    # File bytes that start past the end of the file.
    "bad_elf_offset_past_eof": lambda: build([whole(BASE + 0x10000, offset=0x10000,
                                                    filesz=0x10, memsz=0x10)],
                                             entry=BASE + 0x10000),
    # File bytes that start inside the file but run past its end.
    "bad_elf_filesz_past_eof": lambda: build([whole(BASE, filesz=0x1000, memsz=0x1000)]),
    # vaddr not congruent with offset modulo the page size.
    "bad_elf_misaligned": lambda: build(vaddr=BASE + 8),
    # A segment at page 0 (a null pointer would then be valid).
    "bad_elf_page0": lambda: build(vaddr=0),
    # A segment over the user stack: the loader's own mapping collides with it.
    "bad_elf_stack_overlap": lambda: build(vaddr=STACK),
    "bad_elf_class32": lambda: build(ident_class=1),
    # A shared object (ET_DYN), not an executable.
    "bad_elf_not_exec": lambda: build(etype=ET_DYN),
}


def main(argv):
    if argv[1:] == ["--list"]:
        print("\n".join(FILES))
        return 0
    if len(argv) != 2 or os.path.basename(argv[1]) not in FILES:
        sys.stderr.write(f"usage: {argv[0]} OUT (OUT's base name one of --list) | --list\n")
        return 2
    data = FILES[os.path.basename(argv[1])]()
    tmp = argv[1] + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
