"""Memory-map snapshots: the kernel's `@@ memmap` console lines read back
(keos/include/keos/process/memmap.hpp has the format), what changed between two
snapshots, the mistakes a snapshot shows, and a plain-text rendering (for Gradescope,
where HTML cannot go). The pictures are drawn by memmap_html.py.

The lines are informational: nothing here feeds a verdict. Only kernel lines are read
(a user program's output arrives as `@@ out` lines and can never start `@@ memmap`), and
a malformed line is skipped, never trusted. Python standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PAGE = 4096
# One page entry: VPN:PFN:REFS:FLAGS[:N] (hex, hex, decimal, 4 letters, decimal).
_ENTRY = re.compile(r"^([0-9a-f]{1,13}):([0-9a-f]{1,13}):(\d{1,10}):([p-][w-][u-][n-])(?::(\d{1,9}))?$")
_TEXT = re.compile(r"^[A-Za-z0-9_.,:+-]{1,64}$")
MAX_PAGES = 1 << 22  # more pages than any snapshot can honestly hold: a forged count


@dataclass(frozen=True)
class Page:
    vpn: int
    pfn: int
    refs: int
    flags: str  # "pwun" with '-' for a clear right

    @property
    def va(self) -> int:
        return self.vpn * PAGE

    @property
    def writable(self) -> bool:
        return self.flags[1] == "w"

    @property
    def executable(self) -> bool:
        return self.flags[3] != "n"


@dataclass
class Space:
    id: int
    parent: int
    tid: int
    name: str
    pages: list[Page] = field(default_factory=list)

    def label(self) -> str:
        return f"P{self.id}" + (f" (child of P{self.parent})" if self.parent else "")

    def about(self) -> str:
        who = f"process {self.tid}" if self.tid else "not started yet"
        return f"{who} · {self.name} · {len(self.pages)} pages"


@dataclass
class Snapshot:
    seq: int
    why: str  # fork, fault-before, fault-after, user
    tid: int
    va: int
    result: str = ""
    label: str = ""
    test: str | None = None  # the kernel test running when it was taken
    spaces: list[Space] = field(default_factory=list)
    complete: bool = False  # its `end` line arrived

    def title(self) -> str:
        if self.why == "fork":
            return f"fork: right after the sharing step (process {self.tid} forked)"
        if self.why == "fault-before":
            return f"before a write fault at {self.va:#x} (process {self.tid})"
        if self.why == "fault-after":
            outcome = "resolved" if self.result == "ok" else "refused: the process ends"
            return f"after the write fault at {self.va:#x} (process {self.tid}): {outcome}"
        return f"asked for by process {self.tid}" + (f": {self.label}" if self.label else "")


def _int(text: str, base: int = 10) -> int | None:
    try:
        return int(text, base)
    except ValueError:
        return None


def _fields(words: list[str]) -> dict[str, str]:
    return dict(w.split("=", 1) for w in words if "=" in w)


def parse(lines: list[str]) -> list[Snapshot]:
    """The snapshots of a console log, in order (incomplete ones included, marked)."""
    snaps: dict[int, Snapshot] = {}
    order: list[Snapshot] = []
    test = None
    for line in lines:
        if line.startswith("@@ ktest start "):
            test = line.split()[3] if len(line.split()) > 3 else None
            continue
        if not line.startswith("@@ memmap "):
            continue
        words = line.split()[2:]
        if len(words) < 2:
            continue
        kind, seq = words[0], _int(words[1])
        if seq is None:
            continue
        if kind == "snap":
            f = _fields(words[2:])
            why = f.get("why", "")
            if why not in ("fork", "fault-before", "fault-after", "user") or seq in snaps:
                continue
            label = f.get("label", "")
            snap = Snapshot(seq, why, _int(f.get("tid", "0")) or 0,
                            _int(f.get("va", "0x0"), 16) or 0,
                            f.get("result", "") if f.get("result") in ("ok", "refused") else "",
                            label if _TEXT.match(label) else "", test)
            snaps[seq] = snap
            order.append(snap)
            continue
        snap = snaps.get(seq)
        if snap is None or snap.complete:
            continue
        if kind == "end":
            snap.complete = True
        elif kind == "space" and len(words) >= 3:
            sid, f = _int(words[2]), _fields(words[3:])
            name = f.get("name", "-")
            if sid is None or any(s.id == sid for s in snap.spaces):
                continue
            snap.spaces.append(Space(sid, _int(f.get("parent", "0")) or 0,
                                     _int(f.get("tid", "0")) or 0,
                                     name if _TEXT.match(name) else "?"))
        elif kind == "pages" and len(words) >= 3:
            space = next((s for s in snap.spaces if s.id == _int(words[2])), None)
            if space is None:
                continue
            for item in words[3:]:
                m = _ENTRY.match(item)
                if m is None:
                    continue
                vpn, pfn = int(m.group(1), 16), int(m.group(2), 16)
                count = int(m.group(5) or 1)
                if len(space.pages) + count > MAX_PAGES:
                    break
                for i in range(count):
                    space.pages.append(Page(vpn + i, pfn + i, int(m.group(3)), m.group(4)))
    return order


def todo_of(lines: list[str]) -> str | None:
    """`FUNCTION at FILE:LINE` of the first student stub the log reached, if any."""
    for line in lines:
        if line.startswith("@@ todo "):
            return line[len("@@ todo "):]
    return None


# ---------------------------------------------------------------------------------------
# What a snapshot shows


def copied_frames(prev: Snapshot | None, snap: Snapshot) -> set[tuple[int, int]]:
    """(space id, vpn) of the pages whose frame changed since `prev`: a copy (or a page
    replaced otherwise); pages new since `prev` are not copies."""
    if prev is None:
        return set()
    before = {(s.id, p.vpn): p.pfn for s in prev.spaces for p in s.pages}
    return {(s.id, p.vpn) for s in snap.spaces for p in s.pages
            if (s.id, p.vpn) in before and before[(s.id, p.vpn)] != p.pfn}


def mappers(snap: Snapshot) -> dict[int, list[tuple[Space, Page]]]:
    """frame -> the (space, page) pairs that map it in this snapshot."""
    out: dict[int, list[tuple[Space, Page]]] = {}
    for s in snap.spaces:
        for p in s.pages:
            out.setdefault(p.pfn, []).append((s, p))
    return out


def shared_frames(snap: Snapshot) -> set[int]:
    """Frames that more than one page of the shown processes maps."""
    return {pfn for pfn, users in mappers(snap).items() if len(users) > 1}


def problems(snap: Snapshot) -> dict[tuple[int, int], str]:
    """(space id, vpn) -> what is wrong with that page, by the rules of copy-on-write:
    a frame with more than one reference must not be writable through any entry; a frame
    needs a reference for every entry that maps it; the processes sharing a frame give
    it the same rights but write (losing XD, or the user bit, is a mistake)."""
    out: dict[tuple[int, int], str] = {}
    for pfn, users in mappers(snap).items():
        for s, p in users:
            if p.writable and (p.refs > 1 or len(users) > 1):
                out[(s.id, p.vpn)] = (f"writable, but its frame {pfn * PAGE:#x} is shared "
                                      f"({p.refs} references): a write here changes "
                                      "what the other process sees")
        fewest = min(p.refs for _, p in users)
        if fewest < len(users):
            for s, p in users:
                out.setdefault((s.id, p.vpn), f"frame {pfn * PAGE:#x} is mapped {len(users)} "
                               f"times but counts only {fewest} reference(s)")
        rights = {p.flags[2:] for _, p in users}
        if len(rights) > 1:
            for s, p in users:
                out.setdefault((s.id, p.vpn), f"frame {pfn * PAGE:#x} is mapped with "
                               "different user/execute rights in different processes")
    return out


def selected(snaps: list[Snapshot], limit: int, only: set[int] | None
             ) -> tuple[list[tuple[Snapshot | None, Snapshot]], int]:
    """The snapshots to show (at most `limit`; `only`: just these sequence numbers), each
    with the snapshot just before it in the log (shown or not: copies count from there),
    and how many were left out."""
    shown = [s for s in snaps if only is None or s.seq in only][:limit]
    pairs = [(snaps[i - 1] if i else None, snap) for i, snap in enumerate(snaps)
             if snap in shown]
    return pairs, (len(snaps) if only is None else len(only)) - len(shown)


def render_text(snaps: list[Snapshot], limit: int = 12,
                only: set[int] | None = None) -> list[str]:
    """The snapshots as plain text (Gradescope's output): each process's pages folded
    into runs, with frames, counts, rights, copies and mistakes marked. `only`: the
    sequence numbers to show (copies still count from the snapshot just before)."""
    lines: list[str] = []
    pairs, hidden = selected(snaps, limit, only)
    for prev, snap in pairs:
        copied, wrong, shared = copied_frames(prev, snap), problems(snap), shared_frames(snap)
        lines.append(f"snapshot {snap.seq}: {snap.title()}")
        for s in snap.spaces:
            lines.append(f"  {s.label()}: {s.about()}")
            for run in fold(s, copied, wrong):
                first, last = run[0], run[-1]
                span = (f"{first.va:#x}" if len(run) == 1 else
                        f"{first.va:#x}-{last.va + PAGE - 1:#x} ({len(run)} pages)")
                frames = (f"frame {first.pfn * PAGE:#x}" if len(run) == 1 else
                          f"frames {first.pfn * PAGE:#x}..")
                marks = []
                if any(p.pfn in shared for p in run):
                    marks.append("shared")
                if any((s.id, p.vpn) in copied for p in run):
                    marks.append("copied since the last snapshot")
                line = f"    {span} {first.flags} -> {frames} refs {first.refs}"
                lines.append(line + (f" [{', '.join(marks)}]" if marks else ""))
                for p in run:
                    if (s.id, p.vpn) in wrong:
                        lines.append(f"      WRONG {p.va:#x}: {wrong[(s.id, p.vpn)]}")
    if hidden > 0:
        lines.append(f"({hidden} more snapshots in the HTML report)")
    return lines


def fold(space: Space, copied: set[tuple[int, int]],
         wrong: dict[tuple[int, int], str]) -> list[list[Page]]:
    """The pages of `space` in runs: contiguous virtual pages with the same rights, the
    same reference count and the same marks (copied, wrong) fold into one."""
    runs: list[list[Page]] = []
    for p in space.pages:
        key = (p.flags, p.refs, (space.id, p.vpn) in copied, (space.id, p.vpn) in wrong)
        if runs:
            last = runs[-1][-1]
            last_key = (last.flags, last.refs, (space.id, last.vpn) in copied,
                        (space.id, last.vpn) in wrong)
            if p.vpn == last.vpn + 1 and key == last_key:
                runs[-1].append(p)
                continue
        runs.append([p])
    return runs
