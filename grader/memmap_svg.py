"""One memory-map snapshot as an SVG picture: the processes side by side, each run of
pages a box coloured by its rights, a line from every box to the frames it maps, frames
that several processes map drawn once with their reference count, frames copied since
the previous snapshot marked, and pages that break a rule of copy-on-write in red.
Self-contained SVG (no fonts, scripts or links from anywhere); Python standard library.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from memmap import PAGE, Page, Snapshot, Space, copied_frames, fold, problems, shared_frames

BOX_H, GAP, COL_W, FRAME_W, LANE = 34, 8, 240, 210, 130
TOP = 44  # room for the column titles

# Fill colours by rights (writable, executable); the legend of the page says the same.
COLOURS = {
    (True, False): "#cfe3ff",   # data: read-write, no-execute
    (False, False): "#dcefd8",  # read-only data
    (False, True): "#e6dcff",   # code: read-only, executable
    (True, True): "#ffd9a8",    # writable and executable
}
WRONG_FILL, WRONG_STROKE = "#ffd0d0", "#d0021b"
SHARED_FILL, COPIED_STROKE = "#fff1b8", "#e07000"


def rights_text(p: Page) -> str:
    r = "r" + ("w" if p.writable else "-") + ("x" if p.executable else "-")
    return r + ("" if p.flags[2] == "u" else " kernel-only")


@dataclass
class _Box:
    x: int
    y: int
    w: int
    pages: list[Page]


def _run_label(run: list[Page]) -> str:
    first, last = run[0], run[-1]
    if len(run) == 1:
        return f"{first.va:#x}"
    return f"{first.va:#x}-{last.va + PAGE - 1:#x}"


def draw(snap: Snapshot, prev: Snapshot | None, unfold: bool = False, key: str = "") -> str:
    """The SVG of `snap` (`prev`: the snapshot before it, for the copied marks). Folded
    runs unless `unfold`: then one box per page. `key` prefixes the runs' ids (data-run),
    unique in a page that shows snapshots of several boots."""
    copied, wrong, shared = copied_frames(prev, snap), problems(snap), shared_frames(snap)
    spaces = snap.spaces
    left = spaces[:(len(spaces) + 1) // 2]
    right = spaces[(len(spaces) + 1) // 2:]
    frames_x = len(left) * (COL_W + LANE)
    col_x: dict[int, int] = {}
    for i, s in enumerate(left):
        col_x[s.id] = i * (COL_W + LANE)
    for i, s in enumerate(right):
        col_x[s.id] = frames_x + FRAME_W + LANE + i * (COL_W + LANE)
    width = frames_x + FRAME_W + (len(right) * (COL_W + LANE))
    runs: dict[int, list[list[Page]]] = {}
    boxes: dict[tuple[int, int], _Box] = {}
    for s in spaces:
        runs[s.id] = [[p] for p in s.pages] if unfold else fold(s, copied, wrong)
        y = TOP
        for j, run in enumerate(runs[s.id]):
            boxes[(s.id, j)] = _Box(col_x[s.id], y, COL_W, run)
            y += BOX_H + GAP
    # Frames, grouped by who maps them (and their count and copied mark): a group of
    # frames that the same runs map is one box, with a line to each of those runs.
    owner: dict[int, set[tuple[int, int]]] = {}
    page_of: dict[int, list[tuple[int, Page]]] = {}
    for (sid, j), box in boxes.items():
        for p in box.pages:
            owner.setdefault(p.pfn, set()).add((sid, j))
            page_of.setdefault(p.pfn, []).append((sid, p))
    groups: dict[tuple, list[int]] = {}
    for pfn, members in owner.items():
        refs = max(p.refs for _, p in page_of[pfn])
        is_copy = any((sid, p.vpn) in copied for sid, p in page_of[pfn])
        groups.setdefault((frozenset(members), refs, is_copy), []).append(pfn)

    def centre(member: tuple[int, int]) -> float:
        return boxes[member].y + BOX_H / 2

    order = sorted(groups.items(),
                   key=lambda kv: (sum(centre(m) for m in kv[0][0]) / len(kv[0][0]),
                                   min(kv[1])))
    out: list[str] = []
    lines: list[str] = []
    y = TOP
    frame_boxes: list[str] = []
    for (members, refs, is_copy), pfns in order:
        pfns.sort()
        is_shared = any(pfn in shared for pfn in pfns)
        bad = any((sid, p.vpn) in wrong for pfn in pfns for sid, p in page_of[pfn])
        fill = WRONG_FILL if bad else SHARED_FILL if is_shared else "#f4f4f4"
        stroke = WRONG_STROKE if bad else COPIED_STROKE if is_copy else "#666"
        dash = ' stroke-dasharray="5 3"' if is_copy and not bad else ""
        text = (f"frame {pfns[0] * PAGE:#x}" if len(pfns) == 1 else f"{len(pfns)} frames")
        sub = f"refs {refs}" + (" · shared" if is_shared else "") + (" · copied" if is_copy else "")
        cls = "frame" + (" shared" if is_shared else "") + (" copied" if is_copy else "")
        tip = ", ".join(f"{pfn * PAGE:#x}" for pfn in pfns[:16]) + (" ..." if len(pfns) > 16 else "")
        frame_boxes.append(
            f'<g class="{cls}" data-frames="{len(pfns)}"><title>{escape(tip)}</title>'
            f'<rect x="{frames_x}" y="{y}" width="{FRAME_W}" height="{BOX_H}" rx="4" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{2 if bad or is_copy else 1}"{dash}/>'
            f'<text x="{frames_x + 8}" y="{y + 14}">{escape(text)}</text>'
            f'<text x="{frames_x + 8}" y="{y + 28}" class="sub">{escape(sub)}</text></g>')
        for member in sorted(members):
            box = boxes[member]
            from_left = box.x < frames_x
            x1 = box.x + box.w if from_left else box.x
            x2 = frames_x if from_left else frames_x + FRAME_W
            red = any((member[0], p.vpn) in wrong and p.pfn in pfns for p in box.pages)
            lines.append(f'<line x1="{x1}" y1="{centre(member):.0f}" x2="{x2}" '
                         f'y2="{y + BOX_H / 2:.0f}" stroke="{WRONG_STROKE if red else "#8a8a8a"}" '
                         f'stroke-width="{2 if red else 1}"/>')
        y += BOX_H + GAP
    height = max([y] + [b.y + BOX_H + GAP for b in boxes.values()]) + 4
    out.append(f'<svg xmlns="http://www.w3.org/2000/svg" class="memmap" width="{width}" '
               f'height="{height}" viewBox="0 0 {width} {height}" font-family="monospace" '
               f'font-size="11">')
    out.append('<style>text{fill:#111}.sub{fill:#444;font-size:10px}'
               '.title{font-size:12px;font-weight:bold}</style>')
    out.extend(lines)
    for s in spaces:
        x = col_x[s.id]
        out.append(f'<text class="title space" data-space="{s.id}" x="{x}" y="16">'
                   f'{escape(s.label())}</text>')
        out.append(f'<text class="sub" x="{x}" y="32">{escape(s.about())}</text>')
    out.append(f'<text class="title" x="{frames_x}" y="16">physical frames</text>')
    for (sid, j), box in sorted(boxes.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        run = box.pages
        p = run[0]
        bad = any((sid, q.vpn) in wrong for q in run)
        is_copy = any((sid, q.vpn) in copied for q in run)
        fill = WRONG_FILL if bad else COLOURS[(p.writable, p.executable)]
        stroke = WRONG_STROKE if bad else COPIED_STROKE if is_copy else "#555"
        count = f" · {len(run)} pages" if len(run) > 1 else ""
        marks = (" · WRONG" if bad else "") + (" · copied" if is_copy else "")
        tip = wrong.get((sid, next((q.vpn for q in run if (sid, q.vpn) in wrong), -1)), "")
        cls = "run" + (" wrong" if bad else "") + (" folded" if len(run) > 1 else "")
        out.append(
            f'<g class="{cls}" data-run="{key}{snap.seq}-{sid}-{j}" data-pages="{len(run)}">'
            f'<title>{escape(tip or _run_label(run))}</title>'
            f'<rect x="{box.x}" y="{box.y}" width="{box.w}" height="{BOX_H}" rx="3" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{2 if bad or is_copy else 1}"/>'
            f'<text x="{box.x + 6}" y="{box.y + 14}">{escape(_run_label(run))}</text>'
            f'<text x="{box.x + 6}" y="{box.y + 28}" class="sub">'
            f'{escape(rights_text(p) + count + marks)}</text></g>')
    out.extend(frame_boxes)
    out.append("</svg>")
    return "\n".join(out)


def counts(snap: Snapshot) -> tuple[int, int]:
    """What a picture of `snap` shows: processes, and frames mapped more than once."""
    return len(snap.spaces), len(shared_frames(snap))


def runs_of(snap: Snapshot, prev: Snapshot | None) -> list[tuple[Space, list[list[Page]]]]:
    """Each process's folded runs, as draw() folds them (for the page listings)."""
    copied, wrong = copied_frames(prev, snap), problems(snap)
    return [(s, fold(s, copied, wrong)) for s in snap.spaces]
