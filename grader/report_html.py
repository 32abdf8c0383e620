"""The grading report in the browser: build/grade/report.html, written by every
`make grade` beside results.json. One self-contained page (inline CSS and script): the
score, the table of tests with their verdicts, each test's reason and console log
(folded), and for a fork or copy-on-write test that did not pass, the memory-map pictures
of a re-run with snapshots on (grader/pictures.py), mistakes in red. Every piece of text
that comes from a console log or a submission is escaped: a student's output cannot add
markup or script to the page. Python standard library only.
"""

from __future__ import annotations

import os
from html import escape

import memmap
import memmap_html
import pictures
import results
from results import Grading, TestResult

LOG_LINES = 400  # console lines shown per test (the end of its part of the log)


def test_log(path: str, name: str) -> tuple[list[str], int]:
    """The lines of test `name` in the log at `path` (from its `@@ ktest start` to the
    next test's, for a boot shared by several tests; the whole log otherwise), at most
    the last LOG_LINES, and how many were left out."""
    try:
        with open(path, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return [], 0
    starts = [i for i, line in enumerate(lines) if line.startswith("@@ ktest start ")]
    mine = [i for i in starts if line_test(lines[i]) == name]
    if len(starts) > 1 and mine:
        later = [i for i in starts if i > mine[0]]
        lines = lines[mine[0]:later[0] if later else len(lines)]
    cut = max(0, len(lines) - LOG_LINES)
    return lines[cut:], cut


def line_test(line: str) -> str:
    words = line.split()
    return words[3] if len(words) > 3 else ""


def _row(t: TestResult) -> str:
    return (f'<tr><td><a href="#t-{escape(t.name)}">{escape(t.name)}</a></td>'
            f"<td>{escape(t.group)}</td><td class=\"{escape(t.verdict.split()[0])}\">"
            f"{escape(t.verdict)}</td><td>{t.time_s:.1f}s</td>"
            f"<td>{results.points(t.score)}/{results.points(t.max_score)}</td>"
            f"<td>{escape(t.reason[:160])}</td></tr>")


def _test_section(t: TestResult) -> str:
    parts = [f'<h2 id="t-{escape(t.name)}">{escape(t.name)}: {escape(t.verdict)}</h2>']
    if not t.passed:
        parts.append(f"<p>{escape(t.reason or t.verdict)}</p>")
        if t.details:
            parts.append(f"<pre>{escape(chr(10).join(t.details))}</pre>")
    if t.flaky:
        parts.append(f"<p class=wrong>flaky: verdicts {escape(', '.join(t.runs))}</p>")
    if t.log:
        lines, cut = test_log(t.log, t.name)
        note = f" (its last {len(lines)} lines; {cut} before them)" if cut else ""
        parts.append(f"<details><summary>console log {escape(t.log)}{escape(note)}</summary>"
                     f"<pre>{escape(chr(10).join(lines))}</pre></details>")
    if t.pictures:
        snaps, how = pictures.snapshots_of(t.pictures)
        parts.append(
            "<p class=note>Memory maps from a second boot of this test with the kernel's "
            "snapshots on (the graded boot takes none; this boot's verdict counts for "
            f"nothing). It ended: {escape(how)}. Log: {escape(t.pictures)}.</p>"
            + memmap_html.legend())
        if snaps:
            parts.append(memmap_html.snapshot_sections(snaps, limit=16, key=f"{t.name}-"))
        else:
            parts.append("<p class=note>That boot printed no snapshot (the test failed "
                         "before any fork).</p>")
    return f'<section class="test">{"".join(parts)}</section>'


def _first_mistake(g: Grading) -> str:
    """At the top of the report: the first snapshot that shows a mistake, of the first
    failing test that has pictures (the rest is in each test's section)."""
    for t in g.tests:
        if not t.pictures:
            continue
        snaps, _ = pictures.snapshots_of(t.pictures)
        bad = next((s for s in snaps if memmap.problems(s)), None)
        if bad is None:
            continue
        return (f'<h2>The first mistake in a picture: <a href="#t-{escape(t.name)}">'
                f"{escape(t.name)}</a></h2>" + memmap_html.legend()
                + memmap_html.snapshot_sections(snaps, key=f"top-{t.name}-", only={bad.seq}))
    return ""


def render(g: Grading) -> str:
    title = f"Grading report: {g.project}"
    body = [f"<h1>{escape(title)}</h1>",
            f"<p><b>score {results.points(g.score)}/{results.points(g.max_score)}</b> "
            f"({len(g.tests)} tests, {g.wall_s:.0f} s)</p>",
            "<ul>" + "".join(f"<li>{escape(x)}</li>" for x in results.summary_lines(g)[:-1])
            + "</ul>"]
    if g.build_error:
        body.append(f"<h2>build failure</h2><pre>{escape(g.build_error)}</pre>")
    if g.refused:
        body.append("<h2>refused</h2><ul>" + "".join(f"<li>{escape(r)}</li>" for r in g.refused)
                    + "</ul>")
    if g.build_warnings:
        body.append("<details><summary>compiler warnings (they cost no points)</summary>"
                    f"<pre>{escape(g.build_warnings)}</pre></details>")
    if g.notes:
        body.append("<ul class=note>" + "".join(f"<li>{escape(n)}</li>" for n in g.notes)
                    + "</ul>")
    body.append(_first_mistake(g))
    body.append("<table><tr><th>test</th><th>rubric</th><th>verdict</th><th>time</th>"
                "<th>points</th><th>reason</th></tr>"
                + "".join(_row(t) for t in g.tests) + "</table>")
    failing = [t for t in g.tests if not t.passed]
    body += [_test_section(t) for t in failing]
    passing = [t for t in g.tests if t.passed]
    if passing:
        body.append("<details><summary>the tests that passed, with their logs</summary>"
                    + "".join(_test_section(t) for t in passing) + "</details>")
    return memmap_html.page(title, "\n".join(body))


def write(g: Grading, path: str) -> str:
    """Writes the report of `g` to `path` (atomically); returns `path`."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(render(g))
    os.replace(tmp, path)
    return path
