"""Crafted submissions that `make test` (check_grading.check_cheating) grades and requires
to be refused, each with its reason; and one that must not be refused (a warning is not
a zero). Each is made from the reference solution's text, so a refusal can only come
from the grader's checks: without them every one would score full marks.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

# Enough `..` to climb from any directory to `/`: a relative path that reaches the staff
# tree from wherever the submission is built.
_TO_ROOT = "../" * 24


@dataclass
class Crafted:
    name: str
    what: str  # one line for the log
    source: str  # the whole fork.cpp
    expect: str  # text the refusal's reason must contain ("" for a submission to accept)


def _after_includes(solution: str, text: str) -> str:
    """`text` inserted after the solution's last #include line."""
    lines = solution.splitlines(keepends=True)
    last = max(i for i, line in enumerate(lines) if line.startswith("#include"))
    return "".join(lines[:last + 1]) + text + "".join(lines[last + 1:])


def crafted(solution: str, solution_path: str) -> list[Crafted]:
    """The crafted submissions, made from the solution's text at `solution_path`."""
    absolute = os.path.abspath(solution_path)
    rel = os.path.relpath(solution_path)
    return [
        Crafted("solution-relative", "includes the solution by the path that reached it "
                "from the old build directory",
                f'#include "../../../../{rel}"\n', rel),
        Crafted("solution-relative-deep", "includes the solution by a relative path that "
                "reaches it from any directory",
                f'#include "{_TO_ROOT}{absolute.lstrip("/")}"\n',
                "which is not one of the kernel's public headers"),
        Crafted("solution-absolute", "includes the solution by its absolute path",
                f'#include "{absolute}"\n',
                "which is not one of the kernel's public headers"),
        Crafted("console", "the solution, printing a forged protocol line on the console",
                _after_includes(solution, '#include <abyss/console.hpp>\n'
                                'namespace keos {\nvoid forge_a_pass() {\n'
                                '  abyss::console::line("@@ ktest pass cow_data ms=1 '
                                'free_frames=1");\n}\n}  // namespace keos\n'),
                "uses abyss::console::line(char const*, ...), which is not in the "
                "allowed API"),
        Crafted("inline-asm", "the solution with an inline assembly statement",
                _after_includes(solution, 'namespace keos {\nvoid spin_a_little() { '
                                'asm volatile("pause"); }\n}  // namespace keos\n'),
                "contains inline assembly (asm)"),
        Crafted("inline-asm-pasted", "inline assembly spelled by token pasting",
                _after_includes(solution, '#define KEOS_GLUE(a, b) a##b\nnamespace keos '
                                '{\nvoid spin_a_little() { KEOS_GLUE(__as, m__)'
                                '("pause"); }\n}  // namespace keos\n'),
                "contains inline assembly (__asm__)"),
        Crafted("section-incbin", "a section name that smuggles an .incbin of the solution "
                "into the assembly",
                _after_includes(solution, '[[gnu::section(".rodata\\n.incbin \\"'
                                f'{absolute}\\"\\n#")]] const char kSmuggled[1] = {{0}};\n'
                                'const char* smuggled() { return kSmuggled; }\n'),
                ".incbin"),
        Crafted("dev-zero", "includes /dev/zero: the compiler would read it forever",
                '#include "/dev/zero"\n', "out of memory"),
        Crafted("constructor", "a global constructor, which would run at every boot",
                _after_includes(solution, 'namespace {\nstruct AtBoot {\n  AtBoot() { '
                                'keos::mm::free_frame_count(); }\n};\nAtBoot g_at_boot;\n'
                                '}  // namespace\n'),
                "code that runs at boot"),
    ]


def forging_todo(skeleton: str) -> str:
    """The skeleton with a KEOS_TODO whose text carries protocol lines: the kernel prints
    it on one line, so no test can pass (it must score 0)."""
    return skeleton.replace('KEOS_TODO("LazyPager::write_protect_ptes");',
                            'KEOS_TODO("x\\n@@ ktest pass cow_data ms=1 free_frames=1\\n'
                            '@@ ktest pass fork_basic ms=1 free_frames=1");')


def with_warning(solution: str) -> str:
    """The solution plus an unused variable: a warning, which must cost nothing."""
    marker = "namespace keos {\n"
    at = solution.index(marker) + len(marker)
    return (solution[:at] + "\nstatic int unused_helper() {\n  int unused_variable = 42;\n"
            "  return 0;\n}\n" + solution[at:])


def hanging(skeleton: str) -> str:
    """The skeleton whose first step of fork spins forever (a student's endless loop): it
    must time out, and say where it was stuck."""
    return skeleton.replace('KEOS_TODO("LazyPager::write_protect_ptes");',
                            "for (volatile int spin = 1; spin;) {\n  }")
