"""The Gradescope checks of `make test` (grader/check.py): `make gradescope`'s bundle laid
out as Gradescope does and run on the solution (check_bundle, on the unpacked handout's
build), and the same bundle in a fresh Debian root, set up by its own setup.sh and run on
the solution and on the skeleton (check_chroot, grader/gradescope/chroot_check.sh). Each
records its outcome in a Tally."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "gradescope"))
import bundle  # noqa: E402
import handout  # noqa: E402
import submission  # noqa: E402
from tally import Tally  # noqa: E402

LOG_DIR = os.path.join("build", "test")
SOLUTION_SRC = os.path.join("project3", "solution", "fork.cpp")
BUNDLE = os.path.join("build", "gradescope", "autograder.zip")
CHROOT_LOGS = os.path.join("build", "gradescope", "chroot-logs")
# The debootstrapped root, kept between runs on one machine (each run copies it, so each
# still starts from a bare system); a fresh machine debootstraps it once.
CHROOT_BASE = os.environ.get("KEOS_GS_BASE", "/var/tmp/keos-gs-base")


def check_bundle(args, tally: Tally, built_handout: str) -> None:
    """`make gradescope`'s bundle, laid out as Gradescope does (AUTOGRADER_ROOT), with the
    unpacked handout's build as what setup.sh would have built, grades the reference
    solution's fork.cpp through run_autograder: 100 points, failures none, every test
    with its visibility, the results file complete."""
    print("\ngradescope: build/gradescope/autograder.zip run by its run_autograder on the "
          "solution's fork.cpp")
    out = BUNDLE
    names = bundle.make_zip(".", out)
    globs = handout.read_globs(handout.STAFF_ONLY)
    tally.check("gradescope", "bundle: no staff-only file, setup.sh and run_autograder "
                "at the top", not any(handout.matches(n, globs) for n in names) and
                {"setup.sh", "run_autograder"} <= set(names), f"{len(names)} files")
    ag = tempfile.mkdtemp(prefix="keos-autograder-")
    try:
        source = os.path.join(ag, "source")
        with zipfile.ZipFile(out) as z:
            for info in z.infolist():
                z.extract(info, source)
                os.chmod(os.path.join(source, info.filename), info.external_attr >> 16 & 0o777)
        shutil.copytree(os.path.join(built_handout, "build"), os.path.join(source, "build"),
                        symlinks=True)
        os.makedirs(os.path.join(ag, "submission"))
        shutil.copyfile(SOLUTION_SRC, os.path.join(ag, "submission", "fork.cpp"))
        started = time.monotonic()
        proc = subprocess.run([os.path.join(source, "run_autograder")], cwd=ag,
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT,
                              env={**submission.clean_make_env(), "AUTOGRADER_ROOT": ag})
        took = time.monotonic() - started
        log = os.path.join(LOG_DIR, "gradescope-run.log")
        with open(log, "wb") as f:
            f.write(proc.stdout)
        print("  " + "\n  ".join(proc.stdout.decode("utf-8", "replace").splitlines()[-6:]))
        try:
            with open(os.path.join(ag, "results", "results.json")) as f:
                data = json.load(f)
        except (OSError, ValueError) as e:
            tally.check("gradescope", "results.json", False, f"{e}; see {log}", took)
            return
        tests = data.get("tests", [])
        full = data.get("score") == 100 and len(tests) > 0 and all(
            t["status"] == "passed" for t in tests)
        tally.check("gradescope", "solution 100/100", full and proc.returncode == 0,
                    f"score {data.get('score')}, exit {proc.returncode}; see {log}", took)
        tally.check("gradescope", "every test has its visibility", all(
            t.get("visibility") in ("visible", "hidden", "after_due_date", "after_published")
            for t in tests) and bool(tests), f"{len(tests)} tests")
    finally:
        shutil.rmtree(ag, ignore_errors=True)


def _chroot_tools_missing() -> list[str]:
    return [t for t in ("debootstrap", "unzip", "chroot", "mount", "findmnt")
            if shutil.which(t) is None]


def check_chroot(args, tally: Tally) -> None:
    """The bundle in a fresh Debian root, as Gradescope uses it: its setup.sh installs the
    tools from the distribution's packages and builds the skeleton; its run_autograder then
    grades the solution's fork.cpp (100/100, every test passed) and the handout's own
    skeleton (0/100, every graded test "not implemented"). Needs root, debootstrap and the
    Debian archive; without root it is skipped, and says so."""
    print("\ngradescope-chroot: the bundle in a fresh Debian root (debootstrap + chroot): "
          "setup.sh, then run_autograder on the solution and on the skeleton")
    if os.geteuid() != 0:
        print("  SKIPPED: needs root (debootstrap, chroot, mount); as root: "
              "make gradescope-chroot")
        return
    if _chroot_tools_missing():
        subprocess.run(["scripts/setup.sh", "chroot"], stdin=subprocess.DEVNULL)
    missing = _chroot_tools_missing()
    if not tally.check("gradescope-chroot", "host tools", not missing,
                       f"missing: {', '.join(missing)} (scripts/setup.sh chroot)"):
        return
    bundle.make_zip(".", BUNDLE)
    cmd = [os.path.join("grader", "gradescope", "chroot_check.sh"), "--jobs", str(args.jobs),
           "--base", CHROOT_BASE]
    started = time.monotonic()
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT)
    took = time.monotonic() - started
    output = proc.stdout.decode("utf-8", "replace")
    log = os.path.join(LOG_DIR, "gradescope-chroot.log")
    with open(log, "w") as f:
        f.write(output)
    print("  " + "\n  ".join(output.rstrip().splitlines()[-12:]))
    print(f"  (took {took:.0f} s; output in {log}, logs in {CHROOT_LOGS})")
    setup_ok = os.path.exists(os.path.join(CHROOT_LOGS, "setup.log")) and \
        "setup.sh failed" not in output and "debootstrap failed" not in output
    if not tally.check("gradescope-chroot", "setup.sh in a bare root", setup_ok and
                       "== run_autograder" in output, f"see {log}", took):
        return
    solution = _read_results("solution")
    tests = solution.get("tests", [])
    tally.check("gradescope-chroot", "solution 100/100", solution.get("score") == 100 and
                bool(tests) and all(t.get("status") == "passed" for t in tests),
                f"score {solution.get('score')}, "
                f"{sum(t.get('status') != 'passed' for t in tests)} of {len(tests)} tests "
                f"not passed; see {CHROOT_LOGS}/solution.log")
    skeleton = _read_results("skeleton")
    graded = [t for t in skeleton.get("tests", []) if t.get("max_score", 0) > 0]
    not_todo = [t["name"] for t in graded if t.get("status") == "passed" or
                "not implemented" not in t.get("output", "")]
    tally.check("gradescope-chroot", "handout's skeleton 0/100, every graded test "
                "not implemented", skeleton.get("score") == 0 and bool(graded) and
                not not_todo, f"score {skeleton.get('score')}; "
                f"{len(graded)} graded tests, not \"not implemented\": "
                f"{', '.join(not_todo) or 'none'}; see {CHROOT_LOGS}/skeleton.log")
    tally.check("gradescope-chroot", "chroot_check.sh's own verdict", proc.returncode == 0,
                f"exit {proc.returncode}; see {log}")


def _read_results(name: str) -> dict:
    try:
        with open(os.path.join(CHROOT_LOGS, f"{name}.results.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}
