#!/usr/bin/env bash
# Checks for the host tools the build needs and installs the missing ones from the
# distribution's packages (apt-get, as root or through `sudo -n`). Nothing is downloaded
# from anywhere else. Without the right to install, it prints the exact command to run
# and fails.
#
# Usage: scripts/setup.sh [--check] [SET]
#   SET is the group of tools to check: "build" (the default: what `make`, `make run`,
#   `make test` and `make unit` need), "docs" (Doxygen and Graphviz, for `make docs` and
#   `make diagrams`), "gdb" (the debugger, for `make gdb`), "browser" (Chromium, for the
#   headless check of `make memmap`'s page that `make test` runs) or "chroot" (debootstrap
#   and unzip, for the Gradescope bundle's trial in a fresh Debian root: make test as
#   root, make gradescope-chroot).
#   --check only checks: it exits 1 and lists what is missing.
set -euo pipefail

check_only=
set_name=build
for arg in "$@"; do
  case "$arg" in
    --check) check_only=1 ;;
    build | docs | gdb | browser | chroot) set_name="$arg" ;;
    *) echo "usage: $0 [--check] [build|docs|gdb|browser|chroot]" >&2; exit 2 ;;
  esac
done

# tool-or-file  package
build_requirements=(
  "qemu-system-x86_64 qemu-system-x86"
  "grub-mkrescue grub-common"
  "/usr/lib/grub/i386-pc/multiboot2.mod grub-pc-bin"
  "xorriso xorriso"
  "mformat mtools"
  "nasm nasm"
  "python3 python3"
  "catch2 catch2"
)
docs_requirements=(
  "doxygen doxygen"
  "dot graphviz"
)
gdb_requirements=(
  "gdb gdb"
)
browser_requirements=(
  "chromium chromium"
)
chroot_requirements=(
  "debootstrap debootstrap"
  "unzip unzip"
)
case "$set_name" in
  build) requirements=("${build_requirements[@]}") ;;
  docs) requirements=("${docs_requirements[@]}") ;;
  gdb) requirements=("${gdb_requirements[@]}") ;;
  browser) requirements=("${browser_requirements[@]}") ;;
  chroot) requirements=("${chroot_requirements[@]}") ;;
esac

have() {
  case "$1" in
    /*) [ -e "$1" ] ;;
    catch2) [ -e /usr/include/catch2/catch.hpp ] || [ -e /usr/include/catch2/catch_test_macros.hpp ] ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}

missing=()
for req in "${requirements[@]}"; do
  read -r tool package <<<"$req"
  have "$tool" || missing+=("$package")
done

[ ${#missing[@]} -eq 0 ] && exit 0

if [ -n "$check_only" ]; then
  echo "missing packages: ${missing[*]}" >&2
  exit 1
fi

install_cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo_cmd=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo_cmd=(sudo -n)
else
  echo "setup: missing packages: ${missing[*]}" >&2
  echo "setup: install them with:  sudo sh -c '$install_cmd'" >&2
  exit 1
fi

echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for req in "${requirements[@]}"; do
  read -r tool package <<<"$req"
  have "$tool" || { echo "setup: $package installed but $tool is still missing" >&2; exit 1; }
done
