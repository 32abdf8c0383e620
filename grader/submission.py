"""Turning a student's submission into a kernel to grade, without trusting anything in it
but the files the student may change.

A submission is a tree (a directory), an archive (.tar, .tar.gz, .tgz, .tar.xz, .zip) or
one file. Its whitelisted files (rubric "whitelist") are copied onto a pristine copy of
the skeleton (the handout's files, handout.py) in a build directory of the grader's own;
the student's tree is never written to. Every other file the student changed or added is
reported (never copied, never asked about). A build directory of the grader's tree can
seed the copy's build outputs, so only the student's files recompile. Python standard
library only.
"""

from __future__ import annotations

import filecmp
import os
import re
import resource
import shutil
import signal
import subprocess
import tarfile
import zipfile
from dataclasses import dataclass, field

import handout
import integrity

IGNORED = (".git/", ".git", "build/", "*/build/*", "__pycache__/", "*/__pycache__/*",
           "*.pyc", ".DS_Store", "*/.DS_Store", "*.swp", "*~")
MAX_DEPTH = 4  # how deep under an archive's top the project root may be
# Python 3.12's extraction filter (also in 3.11.4+), which later versions expect.
_TAR_FILTER = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}


class SubmissionError(Exception):
    pass


@dataclass
class Prepared:
    tree: str  # the pristine copy with the student's whitelisted files
    kind: str  # "tree", "archive" or "file"
    copied: dict[str, str] = field(default_factory=dict)  # whitelisted path -> its source
    missing: list[str] = field(default_factory=list)  # whitelisted, not in the submission
    modified: list[str] = field(default_factory=list)  # not whitelisted, differs
    added: list[str] = field(default_factory=list)  # not whitelisted, not in the skeleton

    def remarks(self) -> list[str]:
        """Short remarks for a CSV of many submissions."""
        out = [f"not submitted: {p}" for p in self.missing]
        changed = len(self.modified) + len(self.added)
        if changed:
            plural = "s" if changed != 1 else ""
            out.append(f"{changed} file{plural} changed outside the whitelist")
        return out

    def notes(self) -> list[str]:
        out = [f"submission: {path} from {src}" for path, src in self.copied.items()]
        out += [f"submission: {path} not submitted: the skeleton's is used"
                for path in self.missing]
        if self.modified or self.added:
            out.append("submission: changed files outside the whitelist (ignored, the "
                       "skeleton's are used):")
            out += [f"  modified: {p}" for p in self.modified]
            shown = self.added[:20]
            out += [f"  added:    {p}" for p in shown]
            if len(self.added) > len(shown):
                out.append(f"  ... and {len(self.added) - len(shown)} more added files")
        return out


def _safe_member(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return not name.startswith(("/", "\\")) and ".." not in parts and ":" not in parts[0]


def unpack(archive: str, into: str) -> None:
    """Extracts regular files and directories only; refuses absolute or `..` paths."""
    os.makedirs(into, exist_ok=True)
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as z:
            for info in z.infolist():
                if not _safe_member(info.filename):
                    raise SubmissionError(f"{archive}: unsafe path {info.filename!r}")
                if not info.is_dir():
                    z.extract(info, into)
        return
    try:
        tar = tarfile.open(archive)
    except tarfile.TarError as e:
        raise SubmissionError(f"{archive}: not a tar or zip archive ({e})") from None
    with tar:
        for member in tar.getmembers():
            if not _safe_member(member.name):
                raise SubmissionError(f"{archive}: unsafe path {member.name!r}")
            if member.isfile() or member.isdir():
                member.mode = (member.mode | 0o600) & 0o777
                tar.extract(member, into, set_attrs=False, **_TAR_FILTER)


def _files_under(top: str) -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(top):
        rel_dir = os.path.relpath(dirpath, top)
        dirnames[:] = sorted(d for d in dirnames if not handout.matches(
            os.path.normpath(os.path.join(rel_dir, d)) + "/", IGNORED))
        for name in sorted(filenames):
            rel = os.path.normpath(os.path.join(rel_dir, name))
            if not handout.matches(rel, IGNORED) and os.path.isfile(os.path.join(top, rel)):
                out.append(rel)
    return out


def find_root(top: str, whitelist: list[str]) -> str:
    """The shallowest directory under `top` holding a whitelisted path (an archive often
    wraps the tree in a directory of its own); `top` itself if none does."""
    level = [top]
    for _ in range(MAX_DEPTH + 1):
        for d in level:
            if any(os.path.isfile(os.path.join(d, w)) for w in whitelist):
                return d
        level = [os.path.join(d, e) for d in level for e in sorted(os.listdir(d))
                 if os.path.isdir(os.path.join(d, e)) and not os.path.islink(
                     os.path.join(d, e)) and e not in (".git", "build", "__pycache__")]
    return top


def locate(root: str, whitelist: list[str]) -> dict[str, str | None]:
    """Each whitelisted path -> the submission's file for it: at the same path under
    `root`, else the one file anywhere under it with the same name, else None."""
    everywhere = _files_under(root)
    found: dict[str, str | None] = {}
    for w in whitelist:
        if os.path.isfile(os.path.join(root, w)):
            found[w] = os.path.join(root, w)
            continue
        same_name = [p for p in everywhere if os.path.basename(p) == os.path.basename(w)]
        found[w] = os.path.join(root, same_name[0]) if len(same_name) == 1 else None
    return found


def differences(root: str, skeleton: str, skeleton_files: list[str],
                taken: list[str]) -> tuple[list[str], list[str]]:
    """(modified, added): the submission's files, other than those `taken` (relative
    paths), that differ from the skeleton's, and those the skeleton does not have."""
    known = set(skeleton_files)
    modified, added = [], []
    for rel in _files_under(root):
        if rel in taken:
            continue
        if rel not in known:
            added.append(rel)
        elif not filecmp.cmp(os.path.join(root, rel), os.path.join(skeleton, rel),
                             shallow=False):
            modified.append(rel)
    return modified, added


def copy_skeleton(skeleton: str, files: list[str], dest: str) -> None:
    """The pristine copy, with the skeleton's timestamps (so seeded objects stay valid)."""
    for rel in files:
        target = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(os.path.join(skeleton, rel), target)


def prepare(path: str, skeleton: str, whitelist: list[str], work: str) -> Prepared:
    """Builds `work`/tree: the skeleton at `skeleton` with the submission's whitelisted
    files. `work` is emptied first."""
    if not os.path.exists(path):
        raise SubmissionError(f"{path}: no such file or directory")
    shutil.rmtree(work, ignore_errors=True)
    tree = os.path.join(work, "tree")
    skeleton_files = handout.tree_files(skeleton)
    copy_skeleton(skeleton, skeleton_files, tree)
    if os.path.isdir(path):
        kind, root = "tree", find_root(path, whitelist)
    elif tarfile.is_tarfile(path) or zipfile.is_zipfile(path):
        kind = "archive"
        unpacked = os.path.join(work, "unpacked")
        unpack(path, unpacked)
        root = find_root(unpacked, whitelist)
    else:
        kind, root = "file", ""
    prepared = Prepared(tree, kind)
    if kind == "file":
        by_name = [w for w in whitelist if os.path.basename(w) == os.path.basename(path)]
        if not by_name and len(whitelist) != 1:
            raise SubmissionError(f"{path}: a single file must be named like one of "
                                  f"{', '.join(whitelist)}")
        target = (by_name or whitelist)[0]
        sources: dict[str, str | None] = {w: None for w in whitelist}
        sources[target] = path
    else:
        sources = locate(root, whitelist)
        taken = [os.path.relpath(src, root) for src in sources.values() if src is not None]
        prepared.modified, prepared.added = differences(root, tree, skeleton_files, taken)
    for w, src in sources.items():
        if src is None:
            prepared.missing.append(w)
            continue
        target = os.path.join(tree, w)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(src, target)  # a fresh timestamp: make rebuilds what uses it
        shown = os.path.relpath(src, os.path.join(work, "unpacked")) if kind == "archive" \
            else src
        prepared.copied[w] = shown
    return prepared


# Build outputs of a grader's tree that can seed a copy's build (copied with their
# timestamps: make then recompiles only what is newer, i.e. the student's files).
SEED = ("kernel", "userland", "kernel.flags", "rootfs.tar")


def seed_build(seed: str, tree: str) -> bool:
    """Copies the reusable outputs of the build directory `seed` into `tree`/build."""
    if not os.path.isdir(os.path.join(seed, "kernel")):
        return False
    dest = os.path.join(tree, "build")
    os.makedirs(dest, exist_ok=True)
    for name in SEED:
        src = os.path.join(seed, name)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(dest, name), dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("solution"))
        elif os.path.isfile(src):
            shutil.copy2(src, os.path.join(dest, name))
    return True


def clean_make_env() -> dict[str, str]:
    """The environment for a nested make: none of the calling make's job-server state."""
    env = dict(os.environ)
    for var in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "GNUMAKEFLAGS"):
        env.pop(var, None)
    return env


BUILD_TIMEOUT_S = 1200.0  # the whole kernel from scratch, on a slow machine
STUDENT_BUILD_TIMEOUT_S = 120.0  # the student's files alone (a few seconds normally)


# Limits of the processes that compile the student's files: a file can make the compiler
# read /dev/zero or emit a gigabyte of data. The kernel's own files need far less.
STUDENT_MEMORY_BYTES = 3 << 30
STUDENT_FILE_BYTES = 256 << 20


def _student_limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (STUDENT_MEMORY_BYTES, STUDENT_MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_FSIZE, (STUDENT_FILE_BYTES, STUDENT_FILE_BYTES))


def build(tree: str, target: str, jobs: int, log_path: str,
          timeout: float = BUILD_TIMEOUT_S, limited: bool = False) -> tuple[bool, str]:
    """`make -C tree target`; returns (success, its output), also written to log_path
    (appended to). A build still running after `timeout` seconds is killed with all its
    processes (a file that includes /dev/zero never finishes compiling) and fails.
    `limited`: with the memory and file-size limits for the student's files."""
    proc = subprocess.Popen(["make", "-C", tree, f"-j{max(1, jobs)}", target],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=clean_make_env(),
                            start_new_session=True,
                            preexec_fn=_student_limits if limited else None)
    try:
        raw, _ = proc.communicate(timeout=timeout)
        ok = proc.returncode == 0
        note = ""
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raw, _ = proc.communicate()
        ok = False
        note = f"\n*** error: the build of {target} was stopped after {timeout:.0f} s\n"
    output = raw.decode("utf-8", "replace") + note
    os.makedirs(os.path.dirname(log_path) or ".", exist_ok=True)
    with open(log_path, "a") as f:
        f.write(output)
    return ok, output


@dataclass
class BuildOutcome:
    ok: bool
    errors: str = ""  # what stopped the build: the compiler's errors or the refusals
    reason: str = ""  # one line of it, for every test's verdict
    warnings: str = ""  # the compiler's warnings about the student's files
    refused: list[str] = field(default_factory=list)  # integrity violations


def student_objects(sources: list[str]) -> list[str]:
    return [os.path.join("build", "kernel", os.path.splitext(s)[0] + ".o")
            for s in sources if s.endswith(".cpp")]


def build_submission(tree: str, sources: list[str], api_path: str, target: str, jobs: int,
                     log_path: str) -> BuildOutcome:
    """Builds the copy at `tree` in two steps: the student's files (`sources`) alone,
    checked against the API list `api_path` (grader/integrity.py) before anything is
    linked; then `target` (none: stop after the checks). Warnings do not stop it; errors
    and refusals do."""
    if os.path.exists(log_path):
        os.unlink(log_path)
    objects = student_objects(sources)
    for obj in objects:  # never check what an earlier build left behind
        for ext in (".o", ".d", ".ii", ".s"):
            stale = os.path.join(tree, os.path.splitext(obj)[0] + ext)
            if os.path.exists(stale):
                os.unlink(stale)
    output = ""
    for obj in objects:
        ok, out = build(tree, obj, jobs, log_path, STUDENT_BUILD_TIMEOUT_S, limited=True)
        output += out
        if not ok:
            errors = compiler_errors(out)
            return BuildOutcome(False, errors, first_error(errors), compiler_warnings(output))
    warnings = compiler_warnings(output)
    refused: list[str] = []
    if api_path:
        for src in sources:
            if src.endswith(".cpp"):
                try:
                    refused += integrity.check(tree, src, api_path)
                except integrity.IntegrityError as e:
                    refused.append(f"the grader could not check {src}: {e}")
    if refused:
        text = ("refused by the grader (what a submission may include and call: "
                f"{api_path}):\n" + "\n".join(f"  {r}" for r in refused))
        with open(log_path, "a") as f:
            f.write(text + "\n")
        return BuildOutcome(False, text, f"refused: {refused[0]}", warnings, refused)
    if not target:  # the checks only (make submit)
        return BuildOutcome(True, warnings=warnings)
    ok, out = build(tree, target, jobs, log_path)
    if not ok:
        errors = compiler_errors(out)
        return BuildOutcome(False, errors, first_error(errors), warnings)
    return BuildOutcome(True, warnings=warnings)


def first_error(errors: str) -> str:
    first = next((line for line in errors.splitlines() if "error" in line.lower()), "")
    return first or "the submission did not compile"


_ERROR = re.compile(r"(\berror\b|undefined reference|multiple definition|\*\*\*)",
                    re.IGNORECASE)
_CONTEXT = re.compile(r"(In (member )?function|In file included|required from|note:)")


def compiler_errors(output: str, limit: int = 25) -> str:
    """The part of a failed build's output a student needs: each error with the lines
    around it (the compiler's context and caret), at most `limit` lines."""
    lines = [line for line in output.splitlines()
             if not line.startswith(("make[", "  CXX ", "  LD ", "  NASM ", "  USERCC ",
                                     "  AR ", "make: Entering", "make: Leaving"))
             and line.strip()]
    keep: list[int] = []
    for i, line in enumerate(lines):
        if _ERROR.search(line) and not line.startswith("make"):
            if i > 0 and _CONTEXT.search(lines[i - 1]):
                keep.append(i - 1)
            keep += [j for j in range(i, min(i + 3, len(lines)))
                     if j == i or lines[j].startswith(" ")]
    picked = sorted(set(keep))
    text = [lines[i] for i in picked][:limit]
    if not text:
        text = lines[-limit:]
    return "\n".join(text)


_WARNING = re.compile(r"\bwarning:")


def compiler_warnings(output: str, limit: int = 40) -> str:
    """The compiler's warnings in a build's output, each with its context and caret
    lines, at most `limit` lines."""
    lines = output.splitlines()
    keep: list[int] = []
    for i, line in enumerate(lines):
        if _WARNING.search(line):
            if i > 0 and _CONTEXT.search(lines[i - 1]):
                keep.append(i - 1)
            keep.append(i)
            j = i + 1
            while j < len(lines) and j < i + 4 and lines[j].startswith(" ") and \
                    not lines[j].startswith(("  CXX ", "  LD ")):
                keep.append(j)
                j += 1
    return "\n".join(lines[i] for i in sorted(set(keep))[:limit])
