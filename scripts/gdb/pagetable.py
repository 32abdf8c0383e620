"""GDB commands that print KeOS page tables (loaded by the script `make gdb` writes).

    pagetable [ROOT]        the user mappings (PML4 slots 0-255) of the table at physical
                            address ROOT (default: this CPU's CR3), one line per run of
                            pages that are contiguous in both virtual and physical memory
                            and have the same flags
    pagetable -k [ROOT]     the same for the kernel half (PML4 slots 256-511)
    pagewalk VA [ROOT]      the four entries the CPU reads to translate VA

ROOT and VA are GDB expressions: `pagetable $cr3`, `pagewalk $rsp`,
`pagetable table.root_.value_`. Flags: P present, RW writable, US user, XD no-execute,
A accessed, D dirty, G global, PS large page (2 MiB or 1 GiB); a dash where a flag is clear.

The tables are read through the kernel's direct map (abyss/addressing.hpp: physical
address pa is at virtual kDirectMapBase + pa), which every address space maps, so the
commands work whenever the CPU is stopped in kernel or user code with any CR3 loaded.
"""

import gdb

DIRECT_MAP_BASE = 0xFFFFFF0000000000
ADDRESS_MASK = 0x000FFFFFFFFFF000
ENTRIES = 512
PAGE = 4096

P, RW, US, PWT, PCD, A, D, PS, G = (1 << i for i in range(9))
XD = 1 << 63
# Page size mapped by a leaf at each level (PML4 entries are never leaves).
LEVEL_SPAN = {3: 1 << 30, 2: 1 << 21, 1: 1 << 12}
LEVEL_NAME = {4: "PML4", 3: "PDPT", 2: "PD", 1: "PT"}


def read_table(pa):
    """The 512 entries of the table page at physical address `pa`."""
    data = gdb.selected_inferior().read_memory(DIRECT_MAP_BASE + pa, PAGE).tobytes()
    return [int.from_bytes(data[i:i + 8], "little") for i in range(0, PAGE, 8)]


def canonical(va):
    """Sign-extends bit 47, as the CPU does for the upper half."""
    return va | 0xFFFF000000000000 if va & (1 << 47) else va


def flags_text(pte):
    bits = ((P, "P"), (RW, "RW"), (US, "US"), (XD, "XD"), (A, "A"), (D, "D"), (G, "G"),
            (PS, "PS"))
    return " ".join(name if pte & bit else "-" * len(name) for bit, name in bits)


def cr3():
    return int(gdb.parse_and_eval("$cr3")) & ADDRESS_MASK


def leaves(root, slots):
    """(va, pa, size, pte) for every present leaf under PML4 slots `slots`, in order."""
    pml4 = read_table(root)
    for i4 in slots:
        e4 = pml4[i4]
        if not e4 & P:
            continue
        pdpt = read_table(e4 & ADDRESS_MASK)
        for i3, e3 in enumerate(pdpt):
            if not e3 & P:
                continue
            va3 = canonical((i4 << 39) | (i3 << 30))
            if e3 & PS:
                yield va3, e3 & ADDRESS_MASK & ~(LEVEL_SPAN[3] - 1), LEVEL_SPAN[3], e3
                continue
            pd = read_table(e3 & ADDRESS_MASK)
            for i2, e2 in enumerate(pd):
                if not e2 & P:
                    continue
                va2 = va3 | (i2 << 21)
                if e2 & PS:
                    yield va2, e2 & ADDRESS_MASK & ~(LEVEL_SPAN[2] - 1), LEVEL_SPAN[2], e2
                    continue
                pt = read_table(e2 & ADDRESS_MASK)
                for i1, e1 in enumerate(pt):
                    if e1 & P:
                        yield va2 | (i1 << 12), e1 & ADDRESS_MASK, PAGE, e1


# The flags that decide whether neighbouring pages print as one run.
RUN_FLAGS = P | RW | US | XD | A | D | G | PS


def runs(entries):
    """Merges leaves that continue each other in VA and PA with the same flags."""
    run = None
    for va, pa, size, pte in entries:
        if (run is not None and va == run[0] + run[2] and pa == run[1] + run[2]
                and (pte & RUN_FLAGS) == (run[3] & RUN_FLAGS) and size == run[4]):
            run[2] += size
            continue
        if run is not None:
            yield run
        run = [va, pa, size, pte, size]
    if run is not None:
        yield run


class PageTableCommand(gdb.Command):
    """Print the mappings of a page table: pagetable [-k] [ROOT].

Without -k, the user half (PML4 slots 0-255); with -k, the kernel half. ROOT is the
physical address of the PML4 (default: $cr3). See scripts/gdb/pagetable.py."""

    def __init__(self):
        super().__init__("pagetable", gdb.COMMAND_DATA)

    def invoke(self, argument, from_tty):
        words = gdb.string_to_argv(argument)
        kernel = "-k" in words
        words = [w for w in words if w != "-k"]
        root = (int(gdb.parse_and_eval(" ".join(words))) if words else cr3()) & ADDRESS_MASK
        slots = range(256, 512) if kernel else range(0, 256)
        half = "kernel" if kernel else "user"
        print(f"page table at pa {root:#x} ({half} half)")
        print(f"{'virtual range':<37}  {'physical':>14}  {'pages':>6}  flags")
        pages = lines = 0
        for va, pa, length, pte, size in runs(leaves(root, slots)):
            count = length // PAGE
            pages += count
            lines += 1
            print(f"{va:#018x}-{va + length:#018x}  {pa:#14x}  {count:>6}  {flags_text(pte)}")
        print(f"{pages} page(s) of 4 KiB in {lines} run(s)")


class PageWalkCommand(gdb.Command):
    """Show how the CPU translates an address: pagewalk VA [ROOT].

Prints the PML4, PDPT, PD and PT entries used for VA in the table at physical address
ROOT (default: $cr3), stopping at a missing entry or a large page."""

    def __init__(self):
        super().__init__("pagewalk", gdb.COMMAND_DATA)

    def invoke(self, argument, from_tty):
        words = gdb.string_to_argv(argument)
        if not words:
            raise gdb.GdbError("usage: pagewalk VA [ROOT]")
        va = int(gdb.parse_and_eval(words[0])) & 0xFFFFFFFFFFFFFFFF
        root = (int(gdb.parse_and_eval(" ".join(words[1:]))) if len(words) > 1
                else cr3()) & ADDRESS_MASK
        table = root
        for level in (4, 3, 2, 1):
            index = (va >> (12 + 9 * (level - 1))) & 0x1FF
            pte = read_table(table)[index]
            print(f"{LEVEL_NAME[level]:>4}[{index:3}] at pa {table + 8 * index:#x}: "
                  f"{pte:#018x}  -> {pte & ADDRESS_MASK:#x}  {flags_text(pte)}")
            if not pte & P:
                print(f"{va:#x} is not mapped")
                return
            if level == 1 or (level in (3, 2) and pte & PS):
                span = LEVEL_SPAN[level]
                pa = (pte & ADDRESS_MASK & ~(span - 1)) | (va & (span - 1))
                print(f"{va:#x} -> pa {pa:#x}")
                return
            table = pte & ADDRESS_MASK


PageTableCommand()
PageWalkCommand()
