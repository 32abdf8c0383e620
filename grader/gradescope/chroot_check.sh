#!/usr/bin/env bash
# `make gradescope-chroot`: the Gradescope bundle (build/gradescope/autograder.zip) tried
# in a fresh Debian root, the way Gradescope uses it, before staff upload it.
#
#   1. debootstrap a minimal root (--variant=minbase) of SUITE (default: the host's), or
#      copy a cached pristine one (--base DIR: debootstrapped there once, then reused);
#   2. unzip the bundle to /autograder/source, copy run_autograder to
#      /autograder/run_autograder;
#   3. run /autograder/source/setup.sh in the chroot, as root (it apt-installs the tools
#      and builds the skeleton);
#   4. grade two submissions through /autograder/run_autograder:
#      - the reference solution's fork.cpp (staff tree: project3/solution/fork.cpp):
#        score 100, every test passed;
#      - the handout's own project3/fork.cpp (the skeleton, taken from the bundle):
#        score 0, every graded test (points > 0) failed with "not implemented".
#   It prints a verdict and exits non-zero if either expectation fails.
#
# Gradescope's images are Ubuntu; a Debian root is the closest this machine can build
# (only the Debian archive is reachable), so package names and versions may still differ.
#
# Needs root, debootstrap, unzip and python3 on the host, and the Debian archive (the
# root plus setup.sh's packages: several hundred MB). /proc, /sys, /dev (and /dev/pts)
# are mounted in the chroot while it runs and always unmounted (trap), even on failure.
set -euo pipefail

usage() {
  cat <<EOF
usage: $0 [options]
  --suite S       Debian suite to debootstrap (default: the host's, else bookworm)
  --mirror URL    Debian mirror (default: http://deb.debian.org/debian)
  --base DIR      a cached pristine root: debootstrapped into DIR if missing, then
                  copied for this run (DIR itself is never modified afterwards)
  --workdir DIR   where the chroot of this run goes, DIR/root, kept (default: a new
                  /var/tmp/keos-gs.*, removed at the end unless --keep)
  --keep          keep the chroot of this run
  The logs (debootstrap, setup.sh, each grading, results.json) go to
  build/gradescope/chroot-logs/.
  --zip FILE      the bundle (default: build/gradescope/autograder.zip)
  --solution F    the submission expected to score 100 (default: project3/solution/fork.cpp)
  --skeleton F    the submission expected to score 0, "not implemented"
                  (default: project3/fork.cpp from the bundle)
  --jobs N        CPUs the grading may use (taskset; the autograder sizes its parallel
                  boots to them, like a Gradescope container); default: all
EOF
}

host_suite() {
  (. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}") || true
}

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
suite="$(host_suite)"; suite="${suite:-bookworm}"
mirror="http://deb.debian.org/debian"
base=""; workdir=""; keep=""; jobs=""
zip="$repo/build/gradescope/autograder.zip"
solution="$repo/project3/solution/fork.cpp"
skeleton=""

while [ $# -gt 0 ]; do
  case "$1" in
    --suite) suite="$2"; shift 2 ;;
    --mirror) mirror="$2"; shift 2 ;;
    --base) base="$2"; shift 2 ;;
    --workdir) workdir="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --zip) zip="$2"; shift 2 ;;
    --solution) solution="$2"; shift 2 ;;
    --skeleton) skeleton="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "chroot_check: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

die() { echo "chroot_check: $*" >&2; exit 2; }
[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot, mount)"
for tool in debootstrap chroot unzip python3 mount umount findmnt; do
  command -v "$tool" >/dev/null || die "needs $tool on the host (apt-get install debootstrap unzip)"
done
[ -f "$zip" ] || die "no bundle at $zip: run make gradescope"
[ -f "$solution" ] || die "no solution at $solution (the staff tree has project3/solution/)"
[ -z "$skeleton" ] || [ -f "$skeleton" ] || die "no skeleton at $skeleton"
case "$jobs" in ''|[1-9]|[1-9][0-9]) ;; *) die "--jobs wants a number" ;; esac

created=""
if [ -z "$workdir" ]; then
  workdir="$(mktemp -d /var/tmp/keos-gs.XXXXXX)"; created=1
else
  mkdir -p "$workdir"
fi
workdir="$(cd "$workdir" && pwd)"
root="$workdir/root"
logs="$repo/build/gradescope/chroot-logs"  # outlive the chroot
rm -rf "$logs"
mkdir -p "$logs"

mounted=()
cleanup() {
  local status=$? i
  for (( i=${#mounted[@]}-1; i>=0; i-- )); do
    umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" || true
  done
  mounted=()
  if findmnt -rn -o TARGET | grep -q "^$root/"; then
    echo "chroot_check: something is still mounted under $root; left in place" >&2
  elif [ -n "$created" ] && [ -z "$keep" ]; then
    rm -rf --one-file-system "$workdir"
  else
    echo "chroot_check: the chroot is left in $root"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s; }
declare -A took

# 1. The root.
debootstrap_into() {
  echo "== debootstrap --variant=minbase $suite $1 $mirror"
  local t0; t0=$(now)
  if ! debootstrap --variant=minbase "$suite" "$1" "$mirror" >"$logs/debootstrap.log" 2>&1; then
    tail -20 "$logs/debootstrap.log" >&2
    die "debootstrap failed; see $logs/debootstrap.log"
  fi
  took[debootstrap]=$(( $(now) - t0 ))
  echo "   ${took[debootstrap]} s"
}
if [ -n "$base" ]; then
  if [ ! -x "$base/bin/bash" ]; then
    # Into a scratch directory first, renamed when complete: an interrupted debootstrap
    # never passes for a cached root.
    rm -rf --one-file-system "$base.partial"
    mkdir -p "$base.partial"
    debootstrap_into "$base.partial"
    rm -rf --one-file-system "$base"
    mv "$base.partial" "$base"
  else
    echo "== reusing the pristine root $base (no debootstrap)"
  fi
  t0=$(now)
  mkdir -p "$root"
  cp -a "$base/." "$root/"
  took[copy]=$(( $(now) - t0 ))
else
  debootstrap_into "$root"
fi

# What a Docker image (Gradescope's are) has: no services started by package scripts,
# the host's DNS.
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

mount_in() {  # mount_in TARGET-IN-ROOT mount-args...
  local target="$root$1"; shift
  mkdir -p "$target"
  mount "$@" "$target"
  mounted+=("$target")
}
mount_in /proc -t proc proc
mount_in /sys -t sysfs sysfs
mount_in /dev --bind /dev
mount_in /dev/pts --bind /dev/pts
if mountpoint -q /dev/shm; then mount_in /dev/shm --bind /dev/shm; fi

in_root() {  # a clean environment, like a container's
  local pin=()
  if [ -n "$jobs" ] && [ "$jobs" -lt "$(nproc)" ]; then
    pin=(taskset -c "0-$(( jobs - 1 ))")
  fi
  "${pin[@]}" chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 TERM=dumb "$@"
}

# 2. The bundle, laid out as Gradescope does.
ag="$root/autograder"
rm -rf "$ag"
mkdir -p "$ag/source" "$ag/submission" "$ag/results"
unzip -q "$zip" -d "$ag/source"
cp "$ag/source/run_autograder" "$ag/run_autograder"
chmod 755 "$ag/run_autograder" "$ag/source/setup.sh"
if [ -z "$skeleton" ]; then
  skeleton="$workdir/skeleton-fork.cpp"
  unzip -p "$zip" project3/fork.cpp > "$skeleton"
fi

# 3. setup.sh, once, as root.
echo "== setup.sh (apt-get install, the skeleton's kernel)"
t0=$(now)
if ! in_root bash -c 'cd /autograder/source && ./setup.sh' >"$logs/setup.log" 2>&1; then
  tail -30 "$logs/setup.log" >&2
  echo "chroot_check: setup.sh failed; see $logs/setup.log" >&2
  exit 1
fi
took[setup]=$(( $(now) - t0 ))
echo "   ${took[setup]} s; $(tail -1 "$logs/setup.log")"

# 4. Two submissions.
failures=0
grade() {  # grade NAME FILE EXPECTATION(solution|skeleton)
  local name="$1" file="$2" expect="$3" t0
  echo "== run_autograder: $name ($file)"
  rm -rf "$ag/submission" "$ag/results"
  mkdir -p "$ag/submission" "$ag/results"
  cp "$file" "$ag/submission/fork.cpp"
  t0=$(now)
  local rc=0
  in_root bash -c 'cd /autograder && ./run_autograder' >"$logs/$name.log" 2>&1 || rc=$?
  took[$name]=$(( $(now) - t0 ))
  cp "$ag/results/results.json" "$logs/$name.results.json" 2>/dev/null || true
  if python3 - "$ag/results/results.json" "$expect" "$rc" "${took[$name]}" <<'EOF'
import json, sys
path, expect, rc, secs = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
try:
    with open(path) as f:
        data = json.load(f)
except (OSError, ValueError) as e:
    print(f"   FAIL: no readable results.json ({e})")
    sys.exit(1)
tests = data.get("tests", [])
graded = [t for t in tests if t.get("max_score", 0) > 0]
score = data.get("score")
problems = []
if rc != 0:
    problems.append(f"run_autograder exited {rc}")
if not graded:
    problems.append("no graded test in results.json")
if expect == "solution":
    if score != 100:
        problems.append(f"score {score}, expected 100")
    bad = [t["name"] for t in tests if t.get("status") != "passed"]
    if bad:
        problems.append("not passed: " + ", ".join(bad))
else:
    if score != 0:
        problems.append(f"score {score}, expected 0")
    bad = [t["name"] for t in graded
           if t.get("status") == "passed" or "not implemented" not in t.get("output", "")]
    if bad:
        problems.append("graded tests not failed as \"not implemented\": " + ", ".join(bad))
passed = sum(t.get("status") == "passed" for t in tests)
print(f"   {secs} s; score {score}; {passed}/{len(tests)} tests passed "
      f"({len(graded)} graded)")
if problems:
    print("   FAIL: " + "; ".join(problems))
    print("   output: " + data.get("output", "")[:600].replace("\n", "\n           "))
    sys.exit(1)
print("   as expected")
EOF
  then :; else
    failures=$(( failures + 1 ))
    tail -15 "$logs/$name.log" | sed 's/^/   | /'
  fi
}
grade solution "$solution" solution
grade skeleton "$skeleton" skeleton

echo "== verdict ($suite chroot; Gradescope's real image is Ubuntu)"
summary="debootstrap ${took[debootstrap]:-reused (copy ${took[copy]:-?} s)}"
[ -z "${took[debootstrap]:-}" ] || summary="debootstrap ${took[debootstrap]} s"
echo "   $summary, setup.sh ${took[setup]} s, solution ${took[solution]} s, skeleton ${took[skeleton]} s"
if [ "$failures" -eq 0 ]; then
  echo "   PASS: the solution scores 100, the skeleton 0 (not implemented)"
  exit 0
fi
echo "   FAIL: $failures of 2 expectations not met (logs: $logs)"
exit 1
