#!/usr/bin/env bash
# A student's lab machine, tried here: a fresh Debian root (debootstrap + chroot) where
# root installed every tool of `make run` (scripts/setup.sh build run) but not Catch2,
# and a user without root, uid 1000, with a fresh clone of the tree. As that user:
#   1. `make run` must build and boot and exit 0 (it needs no Catch2, no GDB, no Doxygen);
#   2. `make unit` must fail, naming the one package it needs: catch2;
#   3. `make gdb` must fail, naming gdb, before building or booting anything it cannot use.
# Prints a verdict; exits non-zero if an expectation fails.
#
#   grader/nonroot_check.sh [--base DIR] [--keep]
#     --base DIR  a pristine debootstrapped root to copy (debootstrapped there if missing)
#     --keep      keep the chroot (printed at the end)
# Needs root, debootstrap, git and the Debian archive (the packages: a few hundred MB).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base="" keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [--base DIR] [--keep]" >&2; exit 2 ;;
  esac
done
die() { echo "nonroot_check: $*" >&2; exit 2; }
[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot, mount)"
for tool in debootstrap chroot git mount umount; do
  command -v "$tool" >/dev/null || die "needs $tool on the host"
done

work="$(mktemp -d /var/tmp/keos-nonroot.XXXXXX)"
root="$work/root"
logs="$repo/build/nonroot"
rm -rf "$logs" && mkdir -p "$logs"
mounted=()
cleanup() {
  local status=$? i
  for (( i=${#mounted[@]}-1; i>=0; i-- )); do
    umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" || true
  done
  if [ -z "$keep" ] && ! grep -q " $root/" /proc/mounts; then
    rm -rf --one-file-system "$work"
  else
    echo "nonroot_check: the chroot is left in $root"
  fi
  exit "$status"
}
trap cleanup EXIT

if [ -n "$base" ]; then
  [ -x "$base/bin/bash" ] || debootstrap --variant=minbase bookworm "$base" \
    http://deb.debian.org/debian >"$logs/debootstrap.log" 2>&1
  echo "== copying the pristine root $base"
  mkdir -p "$root" && cp -a "$base/." "$root/"
else
  echo "== debootstrap --variant=minbase bookworm"
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian \
    >"$logs/debootstrap.log" 2>&1
fi
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
for m in proc sys dev dev/pts; do
  mkdir -p "$root/$m"
  case "$m" in
    proc) mount -t proc proc "$root/proc" ;;
    sys) mount -t sysfs sysfs "$root/sys" ;;
    *) mount --bind "/$m" "$root/$m" ;;
  esac
  mounted+=("$root/$m")
done

as_root() {
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
}
as_student() {
  chroot --userspec=1000:1000 "$root" /usr/bin/env -i PATH=/usr/bin:/bin \
    HOME=/home/student LANG=C.UTF-8 bash -c "cd /home/student/keos && $1"
}

# Root installs what `make run` needs, with the project's own script, and nothing else.
echo "== as root: scripts/setup.sh build run (everything but Catch2 and GDB)"
mkdir -p "$root/opt/keos"
cp "$repo/scripts/setup.sh" "$root/opt/keos/setup.sh"
as_root /opt/keos/setup.sh --for "the lab machine" build run >"$logs/setup.log" 2>&1 ||
  { tail -20 "$logs/setup.log"; die "setup.sh failed in the chroot"; }
for pkg in catch2 gdb; do
  if as_root dpkg -s "$pkg" >/dev/null 2>&1; then die "$pkg is installed: the test needs it absent"; fi
done
as_root useradd -m -u 1000 -s /bin/bash student
git clone -q "$repo" "$root/home/student/keos"
chown -R 1000:1000 "$root/home/student/keos"

failures=0
expect() {  # expect NAME WANT-STATUS(0|fail) MUST-SAY COMMAND
  local name="$1" want="$2" say="$3" cmd="$4" rc=0 t0
  echo "== as uid 1000: $cmd"
  t0=$(date +%s)
  as_student "$cmd" >"$logs/$name.log" 2>&1 || rc=$?
  echo "   exit $rc in $(( $(date +%s) - t0 )) s; last lines:"
  tail -4 "$logs/$name.log" | sed 's/^/   | /'
  local ok=1
  if [ "$want" = 0 ] && [ "$rc" != 0 ]; then ok=""; fi
  if [ "$want" = fail ] && [ "$rc" = 0 ]; then ok=""; fi
  if [ -n "$say" ] && ! grep -qF -- "$say" "$logs/$name.log"; then ok=""; fi
  if [ -n "$ok" ]; then echo "   as expected"; else
    echo "   FAIL: wanted exit ${want}${say:+ and the words: $say}"; failures=$(( failures + 1 )); fi
}
expect make-run 0 "0 failed" "make -j\$(nproc) && make run"
expect make-unit fail "apt-get install -y --no-install-recommends catch2'" "make unit"
expect make-gdb fail "apt-get install -y --no-install-recommends gdb'" "make gdb TEST=sys_open"

if [ "$failures" -eq 0 ]; then
  echo "PASS: a user without root runs make run; make unit and make gdb name their package"
else
  echo "FAIL: $failures expectation(s) not met (logs: $logs)"; exit 1
fi
