"""HTML around the memory-map pictures (memmap_svg.py): the page `make memmap` writes
(build/memmap/index.html) and the snapshot sections the grading report embeds. One
self-contained file: inline CSS and script, nothing fetched. All text from a console log
is escaped. The page's script lets a folded run be unfolded and writes what the page
shows into #memmap-check (snapshots, processes and shared frames per snapshot, script
errors), which make test's browser check reads. Python standard library only.
"""

from __future__ import annotations

from html import escape

import memmap
import memmap_svg
from memmap import PAGE, Snapshot, copied_frames, problems

UNFOLD_LIMIT = 600  # pages in a snapshot up to which the unfolded picture is drawn too
LIST_LIMIT = 256    # pages listed under a folded run

CSS = """
body{font-family:system-ui,sans-serif;margin:1.5em;color:#111;max-width:1500px}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}h3{font-size:1em}
section.snapshot{border-top:1px solid #ccc;padding-top:.4em;margin-top:1em}
.pic{overflow-x:auto}.wrong{color:#b00018}.note{color:#555}
.legend span{display:inline-block;padding:2px 8px;margin:2px;border:1px solid #666;
  font:12px monospace}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}
td.pass{background:#d8f5d0}td.fail,td.leak,td.panic,td.timeout{background:#ffd0d0}
td.todo{background:#eee}pre{background:#f6f6f6;padding:.6em;overflow-x:auto;font-size:12px}
g.run.folded{cursor:pointer}button{margin:.3em 0}
"""

SCRIPT = """
(function () {
  var errors = 0;
  window.addEventListener('error', function () { errors++; });
  document.addEventListener('click', function (e) {
    var run = e.target.closest('g.run.folded');
    if (run) {
      var list = document.getElementById('list-' + run.getAttribute('data-run'));
      if (list) list.hidden = !list.hidden;
    }
    var button = e.target.closest('button.unfold');
    if (button) {
      var sec = button.closest('section');
      var folded = sec.querySelector('.pic-folded'), all = sec.querySelector('.pic-unfolded');
      folded.hidden = !folded.hidden;
      all.hidden = !all.hidden;
      button.textContent = all.hidden ? 'unfold every page' : 'fold runs again';
    }
  });
  function check() {
    var secs = document.querySelectorAll('section.snapshot'), procs = [], shared = [];
    secs.forEach(function (s) {
      var svg = s.querySelector('.pic-folded svg'), n = 0;
      procs.push(svg ? svg.querySelectorAll('text.space').length : 0);
      if (svg) svg.querySelectorAll('g.frame.shared').forEach(function (g) {
        n += parseInt(g.getAttribute('data-frames'), 10);
      });
      shared.push(n);
    });
    var out = document.getElementById('memmap-check');
    out.setAttribute('data-snapshots', String(secs.length));
    out.setAttribute('data-processes', procs.join(','));
    out.setAttribute('data-shared', shared.join(','));
    out.setAttribute('data-errors', String(errors));
    out.textContent = 'page script ran: ' + secs.length + ' snapshot(s)';
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', check);
  else check();
})();
"""


def legend() -> str:
    items = [("#cfe3ff", "read-write data (no-execute)"), ("#dcefd8", "read-only (no-execute)"),
             ("#e6dcff", "code (read-only, executable)"), ("#ffd9a8", "writable and executable"),
             (memmap_svg.SHARED_FILL, "frame mapped by more than one page"),
             (memmap_svg.WRONG_FILL, "breaks a copy-on-write rule")]
    spans = "".join(f'<span style="background:{c}">{escape(t)}</span>' for c, t in items)
    return (f'<p class="legend">{spans}<span style="border:2px dashed {memmap_svg.COPIED_STROKE}">'
            "copied since the previous snapshot</span></p>"
            '<p class="note">Boxes are runs of contiguous pages with the same rights and '
            "reference count; click a run of several pages to list them, or unfold a whole "
            "snapshot. Hover a box for its addresses or what is wrong with it.</p>")


def _listing(snap: Snapshot, prev: Snapshot | None, key: str) -> str:
    parts = []
    for space, runs in memmap_svg.runs_of(snap, prev):
        for j, run in enumerate(runs):
            if len(run) < 2:
                continue
            rows = "".join(f"<tr><td>{p.va:#x}</td><td>{p.pfn * PAGE:#x}</td><td>{p.refs}</td>"
                           f"<td>{escape(p.flags)}</td></tr>" for p in run[:LIST_LIMIT])
            more = (f"<p class=note>{len(run) - LIST_LIMIT} more pages</p>"
                    if len(run) > LIST_LIMIT else "")
            parts.append(f'<div id="list-{key}{snap.seq}-{space.id}-{j}" hidden><h3>P{space.id}: '
                         f"{len(run)} pages from {run[0].va:#x}</h3><table><tr><th>page</th>"
                         f"<th>frame</th><th>refs</th><th>rights</th></tr>{rows}</table>{more}"
                         "</div>")
    return "".join(parts)


def snapshot_sections(snaps: list[Snapshot], limit: int = 40, key: str = "",
                      only: set[int] | None = None) -> str:
    """A section per snapshot (at most `limit`; `only`: just these sequence numbers,
    copies still counted from the snapshot before), pictures and mistakes. `key`: a
    prefix for element ids, unique per boot in a page that shows several."""
    out = []
    pairs, hidden = memmap.selected(snaps, limit, only)
    for prev, snap in pairs:
        wrong = problems(snap)
        copied = copied_frames(prev, snap)
        where = f" (during test {escape(snap.test)})" if snap.test else ""
        head = f"<h2>{snap.seq}. {escape(snap.title())}{where}</h2>"
        facts = [f"{len(snap.spaces)} process(es)",
                 f"{len(memmap_svg.shared_frames(snap))} shared frame(s)",
                 f"{len(copied)} page(s) with a new frame since the previous snapshot"]
        if not snap.complete:
            facts.append("incomplete: the kernel stopped while printing it")
        body = [head, f'<p class="note">{escape("; ".join(facts))}</p>']
        if wrong:
            items = "".join(f"<li>P{sid} page {vpn * PAGE:#x}: {escape(text)}</li>"
                            for (sid, vpn), text in sorted(wrong.items())[:20])
            body.append(f'<ul class="wrong">{items}</ul>')
        body.append(f'<div class="pic pic-folded">{memmap_svg.draw(snap, prev, key=key)}</div>')
        if sum(len(s.pages) for s in snap.spaces) <= UNFOLD_LIMIT:
            body.append('<button class="unfold">unfold every page</button>')
            body.append(f'<div class="pic pic-unfolded" hidden>'
                        f"{memmap_svg.draw(snap, prev, unfold=True, key=key + 'u')}</div>")
        body.append(_listing(snap, prev, key))
        out.append(f'<section class="snapshot" id="snap-{key}{snap.seq}">{"".join(body)}</section>')
    if hidden > 0:
        out.append(f'<p class="note">{hidden} more snapshots not shown.</p>')
    return "\n".join(out)


def page(title: str, body: str) -> str:
    """A whole self-contained HTML document."""
    return ("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>\n"
            f"{body}\n<div id=memmap-check hidden></div>\n<script>{SCRIPT}</script>"
            "</body></html>\n")
