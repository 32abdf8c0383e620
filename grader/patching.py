"""Applies a unified diff (the `diff -u` format) to one file's text, strictly: every hunk's
context and removed lines must be found as they are, or the patch fails. Used for the
deliberately broken solutions (project3/broken/*.patch, staff only), which prove that the
grader can fail a wrong fork. Lines before the first `---` are a free-form header; a
header line `# Must lose: a, b` names tests the broken code must not pass, and
`# Must say: TEXT` (or `# Must say in a: TEXT`) a text their reasons (a's) must contain,
and `# Must draw: TEXT` a text the grading report's memory-map pictures must show.
Python standard library only.
"""

from __future__ import annotations

import re

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class PatchError(Exception):
    pass


def header(patch: str) -> list[str]:
    """The lines before the diff proper, without their leading `# `."""
    out = []
    for line in patch.splitlines():
        if line.startswith("--- "):
            break
        out.append(line[2:] if line.startswith("# ") else line.lstrip("#"))
    return out


def must_lose(patch: str) -> list[str]:
    """The tests named on `Must lose:` header lines."""
    names: list[str] = []
    for line in header(patch):
        if line.lower().startswith("must lose:"):
            names += [n.strip() for n in line.split(":", 1)[1].split(",") if n.strip()]
    return names


def must_say(patch: str, test: str) -> list[str]:
    """The texts the reason `test` loses with must contain: from `Must say: TEXT` header
    lines (every test of `Must lose`) and `Must say in T1, T2: TEXT` (those tests only)."""
    texts = []
    for line in header(patch):
        head, _, text = line.partition(":")
        words = head.lower().split(maxsplit=2)
        if words[:2] != ["must", "say"] or not text.strip():
            continue
        if len(words) == 2 or (words[2].startswith("in ") and test in
                               [t.strip() for t in head.split(maxsplit=3)[3].split(",")]):
            texts.append(text.strip())
    return texts


def must_draw(patch: str) -> list[str]:
    """Texts the grading report's memory-map pictures must show (`Must draw: TEXT`): the
    mistake as the snapshots of a failing test's re-run see it (grader/pictures.py)."""
    return [line.split(":", 1)[1].strip() for line in header(patch)
            if line.lower().startswith("must draw:") and line.split(":", 1)[1].strip()]


def _hunks(patch: str) -> list[tuple[int, list[str], list[str]]]:
    """(first old line, old lines, new lines) of each hunk."""
    hunks = []
    lines = patch.splitlines()
    i = 0
    while i < len(lines) and not lines[i].startswith("--- "):
        i += 1
    if i == len(lines):
        raise PatchError("no '---' line: not a unified diff")
    for line in lines[i:]:
        m = _HUNK.match(line)
        if m:
            hunks.append((int(m.group(1)), [], []))
        elif not hunks or line.startswith(("--- ", "+++ ", "\\")):
            continue
        elif line.startswith(" ") or line == "":
            hunks[-1][1].append(line[1:])
            hunks[-1][2].append(line[1:])
        elif line.startswith("-"):
            hunks[-1][1].append(line[1:])
        elif line.startswith("+"):
            hunks[-1][2].append(line[1:])
    if not hunks:
        raise PatchError("no hunk")
    return hunks


def apply(text: str, patch: str) -> str:
    """`text` with `patch` applied. A hunk is looked for at its line number (shifted by
    the hunks before it), else anywhere, but it must match exactly and only once."""
    lines = text.split("\n")
    offset = 0
    for number, old, new in _hunks(patch):
        at = number - 1 + offset
        if lines[at:at + len(old)] != old:
            places = [k for k in range(len(lines) - len(old) + 1)
                      if lines[k:k + len(old)] == old]
            if len(places) != 1:
                what = "nowhere" if not places else f"{len(places)} times"
                raise PatchError(f"the hunk at line {number} matches {what}")
            at = places[0]
        lines[at:at + len(old)] = new
        offset = at + len(new) - (number - 1) - len(old)
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """`patching.py SOURCE PATCH OUT`: writes SOURCE with PATCH applied to OUT (the
    Makefile builds the broken kernels of docs/project3.md's pictures this way)."""
    import sys
    if len(argv) != 3:
        print("usage: patching.py SOURCE PATCH OUT", file=sys.stderr)
        return 2
    source, patch, out = argv
    with open(source) as f, open(patch) as p:
        try:
            text = apply(f.read(), p.read())
        except PatchError as e:
            print(f"{patch}: {e}", file=sys.stderr)
            return 1
    with open(out, "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(main(sys.argv[1:]))
