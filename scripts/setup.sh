#!/usr/bin/env bash
# Checks for the host tools a make target needs and installs the missing ones from the
# distribution's packages (apt-get, as root or through `sudo -n`). Nothing is downloaded
# from anywhere else. Without the right to install (a lab machine, or macOS), it names
# the exact packages that target needs, prints the command to run and fails; it never
# asks for a tool the target does not use.
#
# Usage: scripts/setup.sh [--check] [--for WHAT] [SET...]
#   SET, one or more (default: build):
#     build   what `make` needs: the kernel compiler and binutils, make, NASM, Python 3,
#             GRUB, xorriso, mtools
#     run     what a boot needs (`make run`, `make grade`, `make gdb`): QEMU, whose version
#             is checked too (older than the oldest tested: a warning before the first boot)
#     unit    what `make unit` needs: the host C++ compiler and Catch2
#     gdb     the debugger (`make gdb`)
#     docs    Doxygen and Graphviz (`make docs`, `make diagrams`)
#     clangd  the C++ language server, which `make test` runs on the compile database
#     browser Chromium, for the headless check of `make memmap`'s page in `make test`
#     chroot  debootstrap and unzip, for the Gradescope bundle's trial in a fresh Debian
#             root (`make test` as root, `make gradescope-chroot`)
#     image   every set but docs, and git: what the container image (Dockerfile) installs
#   --check     only checks: exits 1 and lists what is missing
#   --for WHAT  names the target in the messages ("make unit")
# The tool names follow the Makefile's variables, read from the environment (make exports
# them): CROSS (prefix of the kernel's compiler, binutils and GDB), HOSTCXX (the unit
# tests' compiler), GRUB_MKRESCUE, CATCH2_PREFIX.
set -euo pipefail

check_only=
what=
sets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check_only=1 ;;
    --for) what="$2"; shift ;;
    build | run | unit | gdb | docs | clangd | git | browser | chroot) sets+=("$1") ;;
    image) sets+=(build run unit gdb clangd git) ;;
    *) echo "usage: $0 [--check] [--for WHAT] [build|run|unit|gdb|docs|clangd|browser|chroot|image ...]" >&2; exit 2 ;;
  esac
  shift
done
[ ${#sets[@]} -gt 0 ] || sets=(build)
[ -n "$what" ] || what="this target (${sets[*]})"

cross="${CROSS:-}"
hostcxx="${HOSTCXX:-g++}"
grub_mkrescue="${GRUB_MKRESCUE:-grub-mkrescue}"
catch2_prefix="${CATCH2_PREFIX:-/usr}"
# The oldest QEMU the tests have run on (Debian 12's; docs/getting-started.md).
qemu_oldest_tested=7.2

# One line per requirement: the tool (a command, a path, or a check named below), the
# Debian package, the Homebrew package (docs/platforms.md). With a CROSS prefix the
# compiler is a cross compiler, which Debian does not package under that name.
requirements_of() {
  case "$1" in
    build)
      if [ -z "$cross" ]; then
        echo "g++ g++ x86_64-elf-gcc"
        echo "ld binutils x86_64-elf-binutils"
      else
        echo "${cross}g++ - x86_64-elf-gcc"
        echo "${cross}gcc - x86_64-elf-gcc"
        echo "${cross}ld - x86_64-elf-binutils"
        echo "${cross}objcopy - x86_64-elf-binutils"
        echo "${cross}nm - x86_64-elf-binutils"
        echo "${cross}ar - x86_64-elf-binutils"
      fi
      echo "make make make"
      echo "nasm nasm nasm"
      echo "python3 python3 python3"
      echo "$grub_mkrescue grub-common i686-elf-grub"
      [ "$grub_mkrescue" != grub-mkrescue ] || echo "/usr/lib/grub/i386-pc/multiboot2.mod grub-pc-bin -"
      echo "xorriso xorriso xorriso"
      echo "mformat mtools mtools"
      ;;
    run) echo "qemu-system-x86_64 qemu-system-x86 qemu" ;;
    unit)
      echo "$hostcxx g++ -"
      echo "catch2 catch2 catch2"
      ;;
    gdb) echo "${cross}gdb gdb x86_64-elf-gdb" ;;
    docs)
      echo "doxygen doxygen doxygen"
      echo "dot graphviz graphviz"
      ;;
    clangd) echo "clangd clangd llvm" ;;
    git) echo "git git git" ;;
    browser) echo "chromium chromium -" ;;
    chroot)
      echo "debootstrap debootstrap -"
      echo "unzip unzip unzip"
      ;;
  esac
}

have() {
  case "$1" in
    /*) [ -e "$1" ] ;;
    catch2) [ -e "$catch2_prefix/include/catch2/catch.hpp" ] ||
              [ -e "$catch2_prefix/include/catch2/catch_test_macros.hpp" ] ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}

requirements=()
for s in "${sets[@]}"; do
  while read -r line; do requirements+=("$line"); done < <(requirements_of "$s")
done

# Space-separated lists (macOS's bash 3.2 has no namerefs, and no empty arrays under -u).
missing_tools="" debian="" brew=""
not_debian=""  # a missing tool that no Debian package provides (a cross compiler)
add_word() {  # add_word "LIST" WORD: the list with WORD added once ("-": nothing)
  case " $1 " in *" $2 "*) echo "$1" ;; *) [ "$2" = - ] && echo "$1" || echo "${1:+$1 }$2" ;; esac
}
for req in "${requirements[@]}"; do
  read -r tool deb br <<<"$req"
  if ! have "$tool"; then
    missing_tools="$(add_word "$missing_tools" "$tool")"
    [ "$deb" != - ] || not_debian=1
    debian="$(add_word "$debian" "$deb")"
    brew="$(add_word "$brew" "$br")"
  fi
done

# QEMU older than the oldest tested: said once, before the first boot (not fatal).
check_qemu_version() {
  local version
  version="$(qemu-system-x86_64 --version 2>/dev/null | sed -n 's/.*version \([0-9][0-9]*\.[0-9][0-9]*\).*/\1/p' | head -1)"
  [ -n "$version" ] || return 0
  if [ "$(printf '%s\n%s\n' "$qemu_oldest_tested" "$version" | sort -V | head -1)" != "$qemu_oldest_tested" ]; then
    echo "setup: warning: QEMU $version is older than $qemu_oldest_tested, the oldest version" \
      "this project is tested with; boots may fail or time out in ways the tests do not" \
      "explain. Install QEMU $qemu_oldest_tested or newer (docs/platforms.md)." >&2
  fi
}

if [ -z "$missing_tools" ]; then
  for s in "${sets[@]}"; do [ "$s" != run ] || check_qemu_version; done
  exit 0
fi

if [ -n "$check_only" ]; then
  echo "missing for $what: $missing_tools (Debian packages: ${debian:-none})" >&2
  exit 1
fi

# Debian or Ubuntu with the right to install: install exactly what is missing.
can_apt="" sudo_cmd=""
if command -v apt-get >/dev/null 2>&1 && [ -z "$not_debian" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    can_apt=1
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    can_apt=1 sudo_cmd="sudo -n"
  fi
fi

if [ -z "$can_apt" ]; then
  echo "setup: $what needs what is not installed: $missing_tools" >&2
  if command -v apt-get >/dev/null 2>&1 && [ -z "$not_debian" ]; then
    echo "setup: the Debian/Ubuntu packages: $debian" >&2
    echo "setup: install them with:  sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends $debian'" >&2
    echo "setup: (no root here? ask for them, or use the container: docs/platforms.md)" >&2
  elif command -v brew >/dev/null 2>&1 && [ -n "$brew" ]; then
    echo "setup: install them with:  brew install $brew" >&2
    echo "setup: then see docs/platforms.md (macOS: CROSS=x86_64-elf-)" >&2
  else
    echo "setup: see docs/platforms.md for this system, or use the container" >&2
  fi
  exit 1
fi

echo "setup: installing $debian (for $what)" >&2
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086 # sudo_cmd is empty (root) or two words
$sudo_cmd apt-get update -qq
# shellcheck disable=SC2086
$sudo_cmd apt-get install -y -qq --no-install-recommends $debian >/dev/null
for req in "${requirements[@]}"; do
  read -r tool deb _ <<<"$req"
  have "$tool" || { echo "setup: $deb installed but $tool is still missing" >&2; exit 1; }
done
for s in "${sets[@]}"; do [ "$s" != run ] || check_qemu_version; done
