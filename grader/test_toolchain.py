"""Unit tests of the toolchain prefix (toolchain.py): no host script runs a toolchain
program under its bare name; and of the compile-database check (check_toolchain.py)."""

import os
import re
import sys
import unittest
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_toolchain  # noqa: E402
import toolchain  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# A command list that starts with a toolchain program's bare name: ["nm", ...].
BARE_TOOL = re.compile(r"""\[\s*["'](nm|gdb|addr2line|readelf|objdump|objcopy|gcc|g\+\+|ld|ar)["']""")


class PrefixTest(unittest.TestCase):
    def test_tool_names_follow_cross(self):
        with mock.patch.dict(os.environ, {"CROSS": "x86_64-elf-"}):
            self.assertEqual(toolchain.tool("addr2line"), "x86_64-elf-addr2line")
        with mock.patch.dict(os.environ, {}, clear=True):
            self.assertEqual(toolchain.tool("gdb"), "gdb")

    def test_no_script_runs_a_bare_toolchain_program(self):
        found = []
        for folder in ("grader", "scripts", "bench", "userland"):
            for dirpath, _, names in os.walk(os.path.join(ROOT, folder)):
                for name in names:
                    if not name.endswith(".py") or name == os.path.basename(__file__):
                        continue
                    path = os.path.join(dirpath, name)
                    with open(path) as f:
                        for number, line in enumerate(f, 1):
                            if BARE_TOOL.search(line):
                                found.append(f"{os.path.relpath(path, ROOT)}:{number}")
        self.assertEqual(found, [], "use toolchain.tool(NAME) (the CROSS prefix)")


class DatabaseTest(unittest.TestCase):
    def entry(self, rel, compiler, flags, output):
        return {"directory": ROOT, "file": os.path.join(ROOT, rel),
                "arguments": [compiler, *flags, "-c", rel], "output": os.path.join(ROOT, output)}

    def test_a_wrong_compiler_and_a_missing_file_are_named(self):
        kernel_flags = ["-ffreestanding", "-std=c++20", "-mno-red-zone"]
        entries = [self.entry("project3/fork.cpp", "x86_64-elf-g++", kernel_flags,
                              "build/kernel/project3/fork.o"),
                   self.entry("keos/tests/page_table_test.cpp", "x86_64-elf-g++",
                              ["-std=c++20", "-fsanitize=address,undefined"],
                              "build/unit/keos/tests/page_table_test.o")]
        problems = check_toolchain.database_problems(ROOT, entries, "x86_64-elf-", "g++")
        text = "\n".join(problems)
        self.assertIn("page_table_test.cpp (unit): compiled by x86_64-elf-g++, not g++", text)
        self.assertIn("no kernel entry for", text)
        self.assertIn("no user entry for", text)
        self.assertNotIn("fork.cpp (kernel)", text)


if __name__ == "__main__":
    unittest.main()
