"""Tests of the memory-map snapshots' host side: the parser (memmap.py), the pictures
(memmap_svg.py, memmap_html.py), the grading report (report_html.py, pictures.py)."""

from __future__ import annotations

import os
import re
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import memmap  # noqa: E402
import memmap_html  # noqa: E402
import memmap_run  # noqa: E402
import memmap_svg  # noqa: E402
import patching  # noqa: E402
import pictures  # noqa: E402
import report_html  # noqa: E402
import results  # noqa: E402

# A fork of a process with code (3 pages), a data page and a stack page, as the solution
# leaves it: everything shared, nothing writable; then the child's write fault copies
# the stack page.
FORK = """\
@@ memmap on
@@ ktest start cow_data free_frames=100
@@ memmap snap 1 why=fork tid=2 va=0x0
@@ memmap space 1 1 parent=0 tid=2 name=cow_data
@@ memmap pages 1 1 401:a00:2:p-u-:3 405:b00:2:p-un 4747f:c00:2:p-un
@@ memmap space 1 2 parent=1 tid=0 name=cow_data
@@ memmap pages 1 2 401:a00:2:p-u-:3 405:b00:2:p-un 4747f:c00:2:p-un
@@ memmap end 1
@@ memmap snap 2 why=fault-after tid=3 va=0x4747ff08 result=ok
@@ memmap space 2 1 parent=0 tid=2 name=cow_data
@@ memmap pages 2 1 401:a00:2:p-u-:3 405:b00:2:p-un 4747f:c00:1:p-un
@@ memmap space 2 2 parent=1 tid=3 name=cow_data
@@ memmap pages 2 2 401:a00:2:p-u-:3 405:b00:2:p-un 4747f:d00:1:pwun
@@ memmap end 2
"""


def snaps_of(text: str) -> list[memmap.Snapshot]:
    return memmap.parse(text.splitlines())


class ParserTest(unittest.TestCase):
    def test_snapshots_spaces_pages(self):
        snaps = snaps_of(FORK)
        self.assertEqual([(s.seq, s.why, s.complete, s.test) for s in snaps],
                         [(1, "fork", True, "cow_data"), (2, "fault-after", True, "cow_data")])
        parent, child = snaps[0].spaces
        self.assertEqual((child.id, child.parent, child.tid), (2, 1, 0))
        self.assertEqual([(p.vpn, p.pfn, p.refs, p.flags) for p in parent.pages[:3]],
                         [(0x401, 0xa00, 2, "p-u-"), (0x402, 0xa01, 2, "p-u-"),
                          (0x403, 0xa02, 2, "p-u-")])
        self.assertEqual(len(parent.pages), 5)
        self.assertEqual((snaps[1].va, snaps[1].result), (0x4747ff08, "ok"))

    def test_malformed_and_program_lines_are_ignored(self):
        text = ("@@ out 1 @@ memmap snap 9 why=fork tid=1 va=0x0\n"
                "@@ memmap snap x why=fork\n@@ memmap snap 3 why=bogus tid=1\n"
                "@@ memmap pages 1 1 401:a00:2:p-u-\n"  # no snapshot 1
                "@@ memmap snap 4 why=user tid=1 va=0x0 label=<script>\n"
                "@@ memmap space 4 1 parent=0 tid=1 name=a\"b\n"
                "@@ memmap pages 4 1 zz:1:1:pwun 401:a00:1:pwxx 402:a01:1:pwun\n")
        snaps = snaps_of(text)
        self.assertEqual([s.seq for s in snaps], [4])
        self.assertEqual(snaps[0].label, "")  # not of the label alphabet: dropped
        self.assertEqual(snaps[0].spaces[0].name, "?")
        self.assertEqual([p.vpn for p in snaps[0].spaces[0].pages], [0x402])
        self.assertFalse(snaps[0].complete)

    def test_forged_counts_are_bounded(self):
        text = ("@@ memmap snap 1 why=user tid=1 va=0x0\n@@ memmap space 1 1 parent=0 tid=1 name=a\n"
                "@@ memmap pages 1 1 " + " ".join(["1:1:1:pwun:999999999"] * 3) + "\n")
        self.assertEqual(snaps_of(text)[0].spaces[0].pages, [])

    def test_todo(self):
        self.assertEqual(memmap.todo_of(["x", "@@ todo F at f.cpp:3"]), "F at f.cpp:3")


class AnalysisTest(unittest.TestCase):
    def test_correct_fork_has_no_problem(self):
        for snap in snaps_of(FORK):
            self.assertEqual(memmap.problems(snap), {})

    def test_shared_and_copied(self):
        fork, after = snaps_of(FORK)
        self.assertEqual(len(memmap.shared_frames(fork)), 5)
        self.assertEqual(len(memmap.shared_frames(after)), 4)
        self.assertEqual(memmap.copied_frames(fork, after), {(2, 0x4747f)})
        self.assertEqual(memmap.copied_frames(None, after), set())

    def test_parent_still_writable_is_wrong(self):
        text = FORK.replace("@@ memmap pages 1 1 401:a00:2:p-u-:3 405:b00:2:p-un",
                            "@@ memmap pages 1 1 401:a00:2:p-u-:3 405:b00:2:pwun")
        wrong = memmap.problems(snaps_of(text)[0])
        self.assertEqual(list(wrong), [(1, 0x405)])
        self.assertIn("writable", wrong[(1, 0x405)])

    def test_missing_reference_and_lost_xd(self):
        text = FORK.replace("405:b00:2:p-un 4747f:c00:2:p-un\n@@ memmap end 1",
                            "405:b00:1:p-u- 4747f:c00:2:p-un\n@@ memmap end 1")
        wrong = memmap.problems(snaps_of(text)[0])
        self.assertIn("counts only 1", wrong[(1, 0x405)])
        self.assertIn((2, 0x405), wrong)

    def test_fold(self):
        space = snaps_of(FORK)[0].spaces[0]
        runs = memmap.fold(space, set(), {})
        self.assertEqual([len(r) for r in runs], [3, 1, 1])
        runs = memmap.fold(space, {(1, 0x402)}, {})  # a copied page stands alone
        self.assertEqual([len(r) for r in runs], [1, 1, 1, 1, 1])

    def test_text(self):
        text = "\n".join(memmap.render_text(snaps_of(FORK)))
        self.assertIn("0x401000-0x403fff (3 pages) p-u- -> frames 0xa00000.. refs 2 [shared]", text)
        self.assertIn("0x4747f000 pwun -> frame 0xd00000 refs 1 [copied since the last snapshot]",
                      text)


def big_mapping(pages: int) -> str:
    """A fork of a process with one writable mapping of `pages` pages, shared."""
    return (f"@@ memmap snap 1 why=fork tid=2 va=0x0\n"
            f"@@ memmap space 1 1 parent=0 tid=2 name=big\n"
            f"@@ memmap pages 1 1 10000:40000:2:p-un:{pages}\n"
            f"@@ memmap space 1 2 parent=1 tid=0 name=big\n"
            f"@@ memmap pages 1 2 10000:40000:2:p-un:{pages}\n@@ memmap end 1\n")


class PictureTest(unittest.TestCase):
    def test_shared_frames_drawn_once(self):
        fork = snaps_of(FORK)[0]
        svg = memmap_svg.draw(fork, None)
        frames = re.findall(r'<g class="(frame[^"]*)" data-frames="(\d+)"', svg)
        # code (3 frames), data, stack: one box each, shared, not two per process
        self.assertEqual(sorted(frames), [("frame shared", "1"), ("frame shared", "1"),
                                          ("frame shared", "3")])
        self.assertEqual(svg.count("<line "), 6)  # every run of both processes to its frames
        self.assertEqual(len(re.findall(r'class="title space"', svg)), 2)
        self.assertEqual(memmap_svg.counts(fork), (2, 5))

    def test_copied_frame_marked(self):
        fork, after = snaps_of(FORK)
        svg = memmap_svg.draw(after, fork)
        self.assertEqual(len(re.findall(r'<g class="frame copied"', svg)), 1)
        self.assertIn("rw- · copied", svg)
        self.assertNotIn("copied", memmap_svg.draw(after, None).replace("frame copied", ""))

    def test_wrong_page_is_red(self):
        text = FORK.replace("@@ memmap pages 1 1 401:a00:2:p-u-:3 405:b00:2:p-un",
                            "@@ memmap pages 1 1 401:a00:2:p-u-:3 405:b00:2:pwun")
        svg = memmap_svg.draw(snaps_of(text)[0], None)
        self.assertEqual(len(re.findall(r'<g class="run wrong"', svg)), 1)
        self.assertIn(memmap_svg.WRONG_STROKE, svg)

    def test_64_mib_folds_into_a_readable_picture(self):
        snap = snaps_of(big_mapping(16384))[0]
        svg = memmap_svg.draw(snap, None)
        self.assertEqual(svg.count('<g class="run'), 2)
        self.assertIn('data-frames="16384"', svg)
        html = memmap_html.snapshot_sections([snap])
        self.assertNotIn("pic-unfolded", html)  # too many pages to draw one by one
        self.assertIn("16128 more pages", html)  # the listing stops at LIST_LIMIT

    def test_unfold(self):
        snap = snaps_of(big_mapping(4))[0]
        html = memmap_html.snapshot_sections([snap])
        unfolded = html[html.index("pic-unfolded"):]
        self.assertEqual(unfolded.count('<g class="run'), 8)
        self.assertIn('id="list-1-1-0"', html)  # the folded run's page list

    def test_page_escapes_program_output_and_says_todo(self):
        lines = ["@@ out 1 <script>alert(1)</script>", "@@ todo LazyPager::write_protect_ptes at "
                 "project3/fork.cpp:40"]
        html, snaps = memmap_run.page_of(lines, "t")
        self.assertEqual(snaps, [])
        self.assertNotIn("<script>alert", html)
        self.assertIn("&lt;script&gt;alert(1)", html)
        self.assertIn("fork is not implemented in this kernel", html)
        self.assertIn("LazyPager::write_protect_ptes (project3/fork.cpp:40)", html)
        self.assertEqual(html.count("<script>"), 1)  # the page's own script only


class ReportTest(unittest.TestCase):
    def grading(self, tmp: str) -> results.Grading:
        log = os.path.join(tmp, "cow_data.log")
        with open(log, "w") as f:
            f.write("@@ ktest start cow_data free_frames=1\n@@ out 1 </pre><script>x()</script>\n"
                    "@@ ktest fail cow_data ms=1 free_frames=1 :: bad\n")
        pics = os.path.join(tmp, "pic.log")
        with open(pics, "w") as f:
            f.write(FORK.replace("405:b00:2:p-un 4747f", "405:b00:2:pwun 4747f", 1)
                    + "@@ ktest fail cow_data ms=1 free_frames=100 :: differs\n")
        tests = [results.TestResult("cow_data", "copy-on-write", 10, "fail", 1.0,
                                    "<b>bad</b>", [], log, pictures=pics),
                 results.TestResult("fork_basic", "fork", 10, "pass", 1.0, log=log)]
        return results.Grading("p3", {"fork": 10, "copy-on-write": 10},
                               {"fork": 1, "copy-on-write": 1}, tests)

    def test_report(self):
        with tempfile.TemporaryDirectory() as tmp:
            g = self.grading(tmp)
            html = report_html.render(g)
            text = results.test_output(g.tests[0], tail=5)
        self.assertEqual(html.count("<script>"), 1)
        self.assertIn("&lt;/pre&gt;&lt;script&gt;x()", html)
        self.assertIn("&lt;b&gt;bad&lt;/b&gt;", html)
        self.assertIn('<g class="run wrong"', html)
        self.assertIn("It ended: fail: differs", html)
        self.assertIn("WRONG 0x405000: writable, but its frame 0xb00000 is shared", text)

    def test_wanted(self):
        t = [results.TestResult(n, g, 1, v, 1.0) for n, g, v in
             [("a", "fork", "fail"), ("b", "regression", "fail"), ("c", "copy-on-write", "todo"),
              ("d", "copy-on-write", "panic"), ("e", "fork", "pass"), ("f", "fork", "leak")]]
        self.assertEqual([x.name for x in pictures.wanted(t, 4)], ["a", "d", "f"])
        self.assertEqual([x.name for x in pictures.wanted(t, 1)], ["a"])
        self.assertEqual(pictures.wanted(t, 0), [])

    def test_must_draw(self):
        patch = "# Broken.\n# Must lose: a\n# Must draw: writable, but x\n# must draw:\n--- a/f\n"
        self.assertEqual(patching.must_draw(patch), ["writable, but x"])
        with open(os.path.join("project3", "broken", "parent_stays_writable.patch")) as f:
            self.assertEqual(patching.must_draw(f.read()), ["writable, but its frame"])

    def test_shared_log_is_cut_to_the_test(self):
        with tempfile.TemporaryDirectory() as tmp:
            log = os.path.join(tmp, "shared.log")
            with open(log, "w") as f:
                f.write("boot\n@@ ktest start a x\nA\n@@ ktest start b x\nB\n")
            self.assertEqual(report_html.test_log(log, "b"), (["@@ ktest start b x", "B"], 0))
            self.assertEqual(report_html.test_log(log, "a")[0], ["@@ ktest start a x", "A"])


if __name__ == "__main__":
    unittest.main()
