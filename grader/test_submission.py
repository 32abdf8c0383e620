"""Unit tests of submissions, the handout's file list and the broken-solution patches
(python3 -m unittest)."""

import io
import os
import shutil
import sys
import tarfile
import tempfile
import unittest
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import handout  # noqa: E402
import patching  # noqa: E402
import submission  # noqa: E402

WHITELIST = ["project3/fork.cpp"]
SKELETON = {
    "Makefile": "all:\n",
    "README.md": "read me\n",
    "project3/fork.cpp": "// stub\n",
    "project3/rubric.json": "{}\n",
    "project3/solution/fork.cpp": "// the answer\n",
    "grader/grade.py": "print()\n",
    "project3/broken/x.patch": "--- a\n",
    "grader/staff_only.txt": "# staff\nproject3/solution/\nproject3/broken/\n"
                             "grader/staff_only.txt\ndocs/grading.md\n",
    "docs/grading.md": "staff\n",
    "docs/project3.md": "students\n",
    "build/kernel/x.o": "object\n",
    "grader/__pycache__/grade.cpython-311.pyc": "cache\n",
}


def make_tree(root: str, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)


class Temp(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="keos-grader-test-")
        self.addCleanup(shutil.rmtree, self.tmp)
        self.skeleton = os.path.join(self.tmp, "skeleton")
        make_tree(self.skeleton, SKELETON)

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def read(self, *parts):
        with open(self.path(*parts)) as f:
            return f.read()


class HandoutTest(Temp):
    def test_staff_only_and_build_outputs_stay_out(self):
        self.assertEqual(handout.tree_files(self.skeleton),
                         ["Makefile", "README.md", "docs/project3.md", "grader/grade.py",
                          "project3/fork.cpp", "project3/rubric.json"])
        self.assertIn("project3/solution/fork.cpp",
                      handout.tree_files(self.skeleton, staff=True))

    def test_tarball_keeps_modes_under_one_directory(self):
        os.chmod(os.path.join(self.skeleton, "grader/grade.py"), 0o755)
        out = self.path("h.tar.gz")
        handout.make_tarball(self.skeleton, out)
        with tarfile.open(out) as tar:
            members = {m.name: m for m in tar.getmembers()}
        self.assertEqual(sorted(members), [f"{handout.TOP_DIR}/{p}"
                                           for p in handout.tree_files(self.skeleton)])
        self.assertEqual(members[f"{handout.TOP_DIR}/grader/grade.py"].mode, 0o755)
        self.assertEqual(members[f"{handout.TOP_DIR}/Makefile"].mode, 0o644)
        self.assertEqual(members[f"{handout.TOP_DIR}/Makefile"].uid, 0)

    def test_globs(self):
        self.assertTrue(handout.matches("project3/solution/a.cpp", ["project3/solution/"]))
        self.assertTrue(handout.matches("docs/x.md", ["docs/*.md"]))
        self.assertFalse(handout.matches("project3/solutions.cpp", ["project3/solution/"]))


class SubmissionTest(Temp):
    def prepare(self, path):
        return submission.prepare(path, self.skeleton, WHITELIST, self.path("work"))

    def test_a_tree_gives_only_its_whitelisted_files(self):
        student = self.path("alice")
        make_tree(student, {**SKELETON, "project3/fork.cpp": "// alice's fork\n",
                            "Makefile": "all: cheat\n", "grader/tests/mine.cpp": "x\n",
                            "build/kernel/x.o": "other object\n"})
        p = self.prepare(student)
        self.assertEqual(p.kind, "tree")
        self.assertEqual(self.read("work", "tree", "project3", "fork.cpp"), "// alice's fork\n")
        self.assertEqual(self.read("work", "tree", "Makefile"), "all:\n")
        self.assertFalse(os.path.exists(self.path("work", "tree", "grader/tests/mine.cpp")))
        self.assertFalse(os.path.exists(self.path("work", "tree", "project3/solution")))
        self.assertEqual(p.modified, ["Makefile"])
        # The student's copy holds staff-only files too: the pristine skeleton does not.
        self.assertEqual(sorted(p.added), ["docs/grading.md", "grader/staff_only.txt",
                                           "grader/tests/mine.cpp", "project3/broken/x.patch",
                                           "project3/solution/fork.cpp"])
        self.assertNotIn("build/kernel/x.o", p.added + p.modified)
        notes = "\n".join(p.notes())
        self.assertIn("modified: Makefile", notes)
        self.assertIn("added:    grader/tests/mine.cpp", notes)
        self.assertEqual(self.read("alice", "Makefile"), "all: cheat\n")  # untouched

    def test_an_archive_with_a_top_directory(self):
        student = self.path("bob")
        make_tree(student, {"keos/project3/fork.cpp": "// bob\n", "keos/README.md": "mine\n"})
        archive = self.path("bob.tar.gz")
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(os.path.join(student, "keos"), arcname="keos")
        p = self.prepare(archive)
        self.assertEqual(p.kind, "archive")
        self.assertEqual(self.read("work", "tree", "project3", "fork.cpp"), "// bob\n")
        self.assertEqual(p.modified, ["README.md"])
        self.assertEqual(p.copied, {"project3/fork.cpp": "keos/project3/fork.cpp"})

    def test_a_zip_with_the_file_somewhere_else(self):
        archive = self.path("carol.zip")
        with zipfile.ZipFile(archive, "w") as z:
            z.writestr("upload/fork.cpp", "// carol\n")
        p = self.prepare(archive)
        self.assertEqual(self.read("work", "tree", "project3", "fork.cpp"), "// carol\n")
        self.assertEqual(p.missing, [])

    def test_a_single_file(self):
        single = self.path("dave_fork.cpp")
        with open(single, "w") as f:
            f.write("// dave\n")
        p = self.prepare(single)  # one whitelisted file: any name will do
        self.assertEqual(p.kind, "file")
        self.assertEqual(self.read("work", "tree", "project3", "fork.cpp"), "// dave\n")
        self.assertEqual((p.modified, p.added), ([], []))
        with self.assertRaises(submission.SubmissionError):
            submission.prepare(single, self.skeleton, ["a/x.cpp", "a/y.cpp"], self.path("w2"))

    def test_nothing_submitted_keeps_the_skeleton(self):
        student = self.path("erin")
        make_tree(student, {"notes.txt": "I ran out of time\n"})
        p = self.prepare(student)
        self.assertEqual(p.missing, ["project3/fork.cpp"])
        self.assertEqual(self.read("work", "tree", "project3", "fork.cpp"), "// stub\n")
        self.assertIn("not submitted", "\n".join(p.notes()))
        self.assertEqual(p.remarks(), ["not submitted: project3/fork.cpp",
                                       "1 file changed outside the whitelist"])

    def test_unsafe_archives_are_refused(self):
        archive = self.path("evil.tar")
        with tarfile.open(archive, "w") as tar:
            data = b"x"
            info = tarfile.TarInfo("../escape.cpp")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        with self.assertRaisesRegex(submission.SubmissionError, "unsafe path"):
            self.prepare(archive)
        self.assertFalse(os.path.exists(self.path("escape.cpp")))
        with self.assertRaises(submission.SubmissionError):
            self.prepare(self.path("does-not-exist"))

    def test_seed_build_copies_outputs_with_their_times(self):
        seed = os.path.join(self.skeleton, "build")
        os.utime(os.path.join(seed, "kernel", "x.o"), (1000, 1000))
        tree = self.path("t")
        os.makedirs(tree)
        self.assertTrue(submission.seed_build(seed, tree))
        copied = os.path.join(tree, "build", "kernel", "x.o")
        self.assertEqual(os.stat(copied).st_mtime, 1000)
        self.assertFalse(submission.seed_build(self.path("nothing"), tree))

    def test_compiler_errors(self):
        output = "\n".join([
            "make: Entering directory '/tmp/x'",
            "  CXX     project3/fork.cpp",
            "project3/fork.cpp: In member function 'keos::Result<void> f()':",
            "project3/fork.cpp:12:3: error: 'foo' was not declared in this scope",
            "   12 |   foo();",
            "      |   ^~~",
            "cc1plus: all warnings being treated as errors",
            "make: *** [Makefile:9: build/kernel/project3/fork.o] Error 1",
        ])
        text = submission.compiler_errors(output)
        self.assertEqual(text.splitlines()[:4], [
            "project3/fork.cpp: In member function 'keos::Result<void> f()':",
            "project3/fork.cpp:12:3: error: 'foo' was not declared in this scope",
            "   12 |   foo();",
            "      |   ^~~"])
        self.assertNotIn("Entering directory", text)


class PatchTest(unittest.TestCase):
    ORIGINAL = "a\nb\nc\nd\ne\nf\ng\n"
    PATCH = ("# Broken on purpose: no d.\n# Must lose: t1, t2\n# Must say: rule 1 broken\n"
             "--- a/x\n+++ b/x\n@@ -3,3 +3,2 @@\n c\n-d\n e\n")

    def test_apply_and_header(self):
        self.assertEqual(patching.apply(self.ORIGINAL, self.PATCH), "a\nb\nc\ne\nf\ng\n")
        self.assertEqual(patching.must_lose(self.PATCH), ["t1", "t2"])
        self.assertEqual(patching.must_say(self.PATCH, "t1"), ["rule 1 broken"])
        self.assertEqual(patching.must_say("# Must lose: t1\n--- a/x\n", "t1"), [])
        only = "# Must lose: t1, t2\n# Must say in t2, t3: guard\n--- a/x\n"
        self.assertEqual(patching.must_say(only, "t1"), [])
        self.assertEqual(patching.must_say(only, "t2"), ["guard"])
        self.assertEqual(patching.header(self.PATCH)[0], "Broken on purpose: no d.")

    def test_a_moved_hunk_is_found_and_a_changed_one_fails(self):
        self.assertEqual(patching.apply("z\n" + self.ORIGINAL, self.PATCH),
                         "z\na\nb\nc\ne\nf\ng\n")
        with self.assertRaisesRegex(patching.PatchError, "matches nowhere"):
            patching.apply(self.ORIGINAL.replace("d", "D"), self.PATCH)
        with self.assertRaises(patching.PatchError):
            patching.apply(self.ORIGINAL, "not a diff")

    def test_the_broken_solutions_still_apply(self):
        here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
        solution = os.path.join(here, "project3", "solution", "fork.cpp")
        patches = os.path.join(here, "project3", "broken")
        if not os.path.exists(solution) or not os.path.isdir(patches):
            self.skipTest("staff material (not in the handout)")
        with open(solution) as f:
            text = f.read()
        for name in sorted(os.listdir(patches)):
            if name.endswith(".patch"):
                with open(os.path.join(patches, name)) as f:
                    patch = f.read()
                self.assertNotEqual(patching.apply(text, patch), text, name)
                self.assertTrue(patching.must_lose(patch), name)


if __name__ == "__main__":
    unittest.main()
