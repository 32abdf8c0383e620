"""Unit tests of integrity.py (what a submission's file may read and contain) and of the
exit status of grade.py. `python3 -m unittest` in grader/."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import unittest

import grade
import integrity
from results import Grading, TestResult


class ApiListTest(unittest.TestCase):
    def test_headers_and_symbols(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write("# comment\nheader keos/include\n\nsymbol keos::Page::*\n")
        self.addCleanup(os.unlink, f.name)
        api = integrity.read_api_list(f.name)
        self.assertEqual(api.headers, ["keos/include/"])
        self.assertEqual(api.symbols, ["keos::Page::*"])

    def test_an_unknown_line_is_an_error(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write("allow everything\n")
        self.addCleanup(os.unlink, f.name)
        with self.assertRaises(integrity.IntegrityError):
            integrity.read_api_list(f.name)


class IncludesTest(unittest.TestCase):
    def setUp(self):
        self.tree = tempfile.mkdtemp()
        self.addCleanup(lambda: __import__("shutil").rmtree(self.tree))
        for rel in ("project3/fork.cpp", "keos/include/keos/page.hpp",
                    "project3/tests/cow_kernel.cpp"):
            os.makedirs(os.path.dirname(os.path.join(self.tree, rel)), exist_ok=True)
            open(os.path.join(self.tree, rel), "w").close()
        self.api = integrity.ApiList(["keos/include/"], [])

    def test_depfile_with_continuations_and_spaces(self):
        path = os.path.join(self.tree, "fork.d")
        with open(path, "w") as f:
            f.write("build/fork.o: project3/fork.cpp \\\n keos/include/keos/page.hpp \\\n"
                    " /usr/include/a\\ b.h\n\nkeos/include/keos/page.hpp:\n")
        self.assertEqual(integrity.read_depfile(path),
                         ["project3/fork.cpp", "keos/include/keos/page.hpp",
                          "/usr/include/a b.h"])

    def test_public_headers_and_system_headers_pass(self):
        deps = ["project3/fork.cpp", "keos/include/keos/page.hpp", "/usr/sys/x.h"]
        self.assertEqual(integrity.check_includes(deps, self.tree, "project3/fork.cpp",
                                                  self.api, ["/usr/sys"]), [])

    def test_a_file_outside_the_public_headers_is_named(self):
        outside = tempfile.NamedTemporaryFile(suffix=".cpp", delete=False).name
        self.addCleanup(os.unlink, outside)
        deps = ["project3/fork.cpp", "project3/tests/cow_kernel.cpp",
                "keos/include/../../project3/tests/cow_kernel.cpp", outside]
        out = integrity.check_includes(deps, self.tree, "project3/fork.cpp", self.api,
                                       ["/usr/sys"])
        self.assertEqual(len(out), 3)
        self.assertIn("reads project3/tests/cow_kernel.cpp", out[0])
        self.assertIn(f"reads {outside}", out[2])


class AssemblyTest(unittest.TestCase):
    PRE = ('# 1 "project3/fork.cpp"\n# 1 "keos/include/keos/x.hpp" 1\n'
           'inline void header_may() { asm volatile("pause"); }\n'
           '# 5 "project3/fork.cpp" 2\n')

    def test_asm_in_a_header_is_not_the_students(self):
        self.assertEqual(integrity.check_assembly(self.PRE + 'int f() { return 0; }\n',
                                                  "", "project3/fork.cpp"), [])

    def test_asm_in_the_students_lines_is_refused(self):
        for code in ('void f() { asm("nop"); }', 'void f() { __asm__ volatile("nop"); }'):
            out = integrity.check_assembly(self.PRE + code, "", "project3/fork.cpp")
            self.assertEqual(len(out), 1, code)
            self.assertIn("inline assembly", out[0])

    def test_asm_in_a_string_or_a_name_is_fine(self):
        code = ('const char* s = "asm(\\"x\\")"; const char* r = R"x(asm)x"; '
                "int asmx = 'a'; int my_asm = 1;")
        self.assertEqual(integrity.check_assembly(self.PRE + code, "", "project3/fork.cpp"),
                         [])

    def test_incbin_in_the_assembly_is_refused(self):
        out = integrity.check_assembly("", '\t.section .rodata\n.incbin "/x"\n',
                                       "project3/fork.cpp")
        self.assertEqual(len(out), 1)
        self.assertIn(".incbin", out[0])


class SectionsAndSymbolsTest(unittest.TestCase):
    def test_code_and_data_sections_pass(self):
        names = [".text", ".text.unlikely", ".rodata.str1.1", ".bss", ".data.rel.ro",
                 ".rela.text", ".debug_info", ".note.GNU-stack", ".comment", ".symtab"]
        self.assertEqual(integrity.check_sections(names, "f.cpp"), [])

    def test_a_constructor_is_refused(self):
        out = integrity.check_sections([".text", ".init_array"], "f.cpp")
        self.assertIn("global constructor", out[0])
        self.assertIn("sections other", integrity.check_sections([".mine"], "f.cpp")[0])

    def test_symbols_outside_the_list_are_named(self):
        api = integrity.ApiList([], ["keos::Page::*", "memcpy"])
        out = integrity.check_symbols(["keos::Page::create()", "memcpy",
                                       "abyss::console::line(char const*, ...)"],
                                      api, "f.cpp", "api.txt")
        self.assertEqual(out, ["f.cpp uses abyss::console::line(char const*, ...), which "
                               "is not in the allowed API (api.txt)"])


class ExitStatusTest(unittest.TestCase):
    def grading(self, passed: bool) -> Grading:
        t = TestResult("cow_data", "cow", 70.0, "pass" if passed else "fail", 1.0)
        return Grading("p", {"cow": 70.0}, {"cow": 1}, [t])

    def status(self, passed: bool, fail_under: float | None) -> int:
        with contextlib.redirect_stdout(io.StringIO()):
            return grade.exit_status(self.grading(passed), fail_under)

    def test_full_marks_is_zero_anything_less_is_one(self):
        self.assertEqual(self.status(True, None), 0)
        self.assertEqual(self.status(False, None), 1)

    def test_fail_under(self):
        self.assertEqual(self.status(False, 0), 0)
        self.assertEqual(self.status(True, 80), 1)


if __name__ == "__main__":
    unittest.main()
