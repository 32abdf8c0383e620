"""What a submission's file may pull in and contain, checked on its compiled object before
the kernel is linked. The student's code runs in ring 0, so nothing here can make it
harmless; these checks close the easy ways to read the answer or forge a verdict, and
name what they refused (docs/grading.md, "Threat model").

The Makefile compiles the student's file with `-MD -save-temps=obj`, which leaves beside
its object X.o: X.d (every file the compiler read, system headers included), X.ii (the
preprocessed text) and X.s (the assembly). The rules come from the project's API list
(rubric "allowed_api", e.g. project3/allowed_api.txt):

  includes   every file read is the student's file, a header under one of the list's
             `header` directories of the skeleton, or one of the compiler's own headers
  assembly   no `asm`/`__asm__` in the student's preprocessed text, no `.incbin` or
             `.include` in the assembly (a section name can smuggle a directive in)
  sections   code and data only: no constructors (.init_array, .ctors) nor custom sections
  symbols    every undefined symbol of the object (`nm -u`) matches a `symbol` glob

Python standard library only.
"""

from __future__ import annotations

import fnmatch
import os
import re
import subprocess
from dataclasses import dataclass, field

import toolchain


class IntegrityError(Exception):
    """The check itself could not run (a missing file or tool): not the student's fault."""


@dataclass
class ApiList:
    headers: list[str] = field(default_factory=list)  # directories, relative, ending in /
    symbols: list[str] = field(default_factory=list)  # globs over demangled names


def read_api_list(path: str) -> ApiList:
    api = ApiList()
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise IntegrityError(f"{path}: {e}") from None
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        kind, _, value = line.partition(" ")
        value = value.strip()
        if kind == "header" and value:
            api.headers.append(value.rstrip("/") + "/")
        elif kind == "symbol" and value:
            api.symbols.append(value)
        else:
            raise IntegrityError(f"{path}:{n}: expected `header DIR/` or `symbol GLOB`")
    return api


def read_depfile(path: str) -> list[str]:
    """The prerequisites of a make dependency file (the first rule), as written."""
    try:
        with open(path) as f:
            text = f.read()
    except OSError as e:
        raise IntegrityError(f"no dependency list: {e}") from None
    first = next((line for line in text.replace("\\\n", " ").splitlines() if line.strip()),
                 "")
    _, _, deps = first.partition(": ")
    words = re.findall(r"(?:\\ |[^\s])+", deps)
    return [w.replace("\\ ", " ") for w in words]


_system_dirs: dict[str, list[str]] = {}


def compiler_include_dirs(cxx: str | None = None) -> list[str]:
    """The directories the compiler searches for <...> headers on its own (real paths)."""
    cxx = cxx or toolchain.tool("g++")
    if cxx not in _system_dirs:
        proc = subprocess.run([cxx, "-x", "c++", "-E", "-v", "-"], input="",
                              capture_output=True, text=True, timeout=60)
        dirs, inside = [], False
        for line in proc.stderr.splitlines():
            if line.startswith("#include <...> search starts here"):
                inside = True
            elif line.startswith("End of search list"):
                break
            elif inside and line.startswith(" "):
                dirs.append(os.path.realpath(line.strip()))
        _system_dirs[cxx] = dirs
    return _system_dirs[cxx]


def _under(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip("/") + "/")


def check_includes(deps: list[str], tree: str, student: str, api: ApiList,
                   system_dirs: list[str]) -> list[str]:
    """A violation for each file read that is not the student's file, a public kernel
    header of the skeleton at `tree`, or a header of the compiler's."""
    root = os.path.realpath(tree)
    own = os.path.realpath(os.path.join(tree, student))
    public = [os.path.join(root, d) for d in api.headers]
    out = []
    for dep in deps:
        real = os.path.realpath(os.path.join(tree, dep))
        if real == own or any(_under(real, d) for d in public + system_dirs):
            continue
        shown = os.path.relpath(real, root) if _under(real, root) else real
        out.append(f"{student} reads {shown}, which is not one of the kernel's public "
                   f"headers ({', '.join(api.headers)})")
    return out


_LINEMARKER = re.compile(r'^# (\d+) "((?:[^"\\]|\\.)*)"')
_RAW_STRING = re.compile(r'(?:u8|u|U|L)?R"([^()\\\s]{0,16})\((?:.|\n)*?\)\1"')
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
_ASM = re.compile(r"\b(asm|__asm|__asm__)\b")


def student_text(preprocessed: str, student: str) -> str:
    """The lines of the preprocessed text that come from the student's file (macros of
    the kernel's headers expanded in it included)."""
    keep, mine = [], False
    for line in preprocessed.splitlines():
        m = _LINEMARKER.match(line)
        if m:
            name = m.group(2)
            mine = name == student or name.endswith("/" + student)
            continue
        if mine:
            keep.append(line)
    return "\n".join(keep)


def check_assembly(preprocessed: str, assembly: str, student: str) -> list[str]:
    out = []
    code = _STRING.sub('""', _RAW_STRING.sub('""', student_text(preprocessed, student)))
    found = sorted(set(_ASM.findall(code)))
    if found:
        out.append(f"{student} contains inline assembly ({', '.join(found)}); the "
                   "assignment is written in C++ only")
    directives = sorted(set(re.findall(r"^\s*(\.incbin|\.include)\b", assembly, re.M)))
    if directives:
        out.append(f"{student}'s assembly has {', '.join(directives)}, which reads "
                   "another file")
    return out


_SECTION_OK = (".text", ".rodata", ".data", ".bss", ".debug_", ".rela", ".note.GNU-stack",
               ".note.gnu.property", ".comment", ".group", ".symtab", ".strtab",
               ".shstrtab", ".eh_frame")


def _tool(cmd: list[str]) -> str:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as e:
        raise IntegrityError(f"{cmd[0]}: {e}") from None
    if proc.returncode != 0:
        raise IntegrityError(f"{' '.join(cmd)}: {proc.stderr.strip()}")
    return proc.stdout


def section_names(obj: str) -> list[str]:
    found = re.findall(r"^\s*\[\s*(\d+)\]\s+(\S+)", _tool([toolchain.tool("readelf"), "-SW", obj]), re.M)
    return [name for index, name in found if index != "0"]  # 0: the null section


def check_sections(names: list[str], student: str) -> list[str]:
    bad = sorted({n for n in names if n and not n.startswith(_SECTION_OK)})
    if not bad:
        return []
    ctors = [n for n in bad if re.match(r"\.(init_array|fini_array|ctors|dtors|preinit)", n)]
    what = ("code that runs at boot (a global constructor)" if ctors else
            "sections other than code and data")
    return [f"{student} has {what}: {', '.join(bad)}"]


def undefined_symbols(obj: str) -> list[str]:
    out = []
    for line in _tool([toolchain.tool("nm"), "-u", "-C", obj]).splitlines():
        m = re.match(r"^\s*[Uvw]\s+(.+)$", line)
        if m:
            out.append(m.group(1).strip())
    return out


def check_symbols(symbols: list[str], api: ApiList, student: str,
                  api_path: str) -> list[str]:
    bad = [s for s in symbols if not any(fnmatch.fnmatchcase(s, g) for g in api.symbols)]
    return [f"{student} uses {s}, which is not in the allowed API ({api_path})"
            for s in bad]


def check(tree: str, student: str, api_path: str, cxx: str | None = None) -> list[str]:
    """Every violation of the student's file `student` (relative to `tree`), whose object
    was just compiled under tree/build/kernel/. Raises IntegrityError when the compiler's
    outputs are missing."""
    api = read_api_list(os.path.join(tree, api_path))
    stem = os.path.join(tree, "build", "kernel", os.path.splitext(student)[0])
    obj = stem + ".o"
    if not os.path.exists(obj):
        raise IntegrityError(f"{obj}: not built")
    out = check_includes(read_depfile(stem + ".d"), tree, student, api,
                         compiler_include_dirs(cxx))
    try:
        with open(stem + ".ii", errors="replace") as f:
            preprocessed = f.read()
        with open(stem + ".s", errors="replace") as f:
            assembly = f.read()
    except OSError as e:
        raise IntegrityError(f"no preprocessed text or assembly: {e}") from None
    out += check_assembly(preprocessed, assembly, student)
    out += check_sections(section_names(obj), student)
    out += check_symbols(undefined_symbols(obj), api, student, api_path)
    return out
