# KeOS-C++: one non-recursive build. Each part adds its sources in its own *.mk fragment;
# every output goes under build/. See README.md for the commands.

NCPU ?= 4
SOLUTION ?=
PROG ?=
ARGS ?=
STDIN ?=
EXTRA_PROGS ?=
MEM ?= 512M
TEST ?=
TESTS ?= $(TEST)
KVM ?=
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# make grade: a student's tree, archive or fork.cpp; or a directory of them (bulk, CSV).
SUBMISSION ?=
SUBMISSIONS ?=
REPEAT ?=
TIMEOUT_SCALE ?=
GRADE_ARGS ?=
# make grade exits with status 1 below full marks, or below FAIL_UNDER points if given.
FAIL_UNDER ?=
# make run and make gdb: QEMU_ARGS="-d int,cpu_reset -D build/qemu.log" adds QEMU arguments
# (docs/debugging.md); run.py reads it from the environment, like GDB_ARGS.
QEMU_ARGS ?=
# make gdb: GDB_ARGS="-batch -ex 'info registers'" adds GDB arguments; run.py reads them
# from the environment (make exports command-line variables), so no shell sees them: write
# $$ for a GDB $ (`-ex 'p $$pc'`).

BUILD := build
PYTHON := python3
# `make V=1` shows the full commands.
Q := $(if $(V),,@)

# ---------------------------------------------------------------------------------------
# Toolchains

# Every program of the kernel's toolchain is CROSS plus its GNU name, so one variable
# selects a cross toolchain (macOS: `make CROSS=x86_64-elf-`, docs/platforms.md); the
# user programs' compiler (userland/keos-cc) and the Python scripts that run nm, readelf,
# addr2line or GDB read the same CROSS (exported). The host unit tests are built by
# HOSTCXX, the host's own C++ compiler, never a cross one.
CROSS ?=
export CROSS
CXX := $(CROSS)g++
LD := $(CROSS)ld
OBJCOPY := $(CROSS)objcopy
AR := $(CROSS)ar
GDB := $(CROSS)gdb
HOSTCXX ?= g++
NASM := nasm
GRUB_MKRESCUE ?= grub-mkrescue
# GNU tar (the root file system's reproducible archive); macOS: TAR=gtar (gnu-tar).
TAR ?= tar
# Where Catch2 is installed (its include/ and lib/): Debian's /usr, Homebrew's prefix.
CATCH2_PREFIX ?= /usr
export HOSTCXX GRUB_MKRESCUE CATCH2_PREFIX

KERNEL_CXXFLAGS := -std=c++20 -ffreestanding -fno-exceptions -fno-rtti -fno-threadsafe-statics \
  -mno-red-zone -mgeneral-regs-only -fpie -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-stack-protector \
  -fno-stack-clash-protection -fcf-protection=none -fno-asynchronous-unwind-tables \
  -U_FORTIFY_SOURCE -O2 -g -Wall -Wextra -Werror -MMD -MP
# `make SAN=1 ...` builds the kernel with UBSan (runtime: abyss/src/ubsan.cpp, which
# reports and panics). No alignment check: firmware tables are parsed from packed
# structures, and x86 allows unaligned accesses. No vptr check: it needs RTTI. Every
# object and link depends on the flags stamp, so switching SAN rebuilds the kernel.
SAN ?=
ifeq ($(SAN),1)
  KERNEL_CXXFLAGS += -fsanitize=undefined -fno-sanitize=alignment,vptr -fno-sanitize-recover=all
endif
KERNEL_INCLUDES = $(addprefix -I,$(KERNEL_INCLUDE_DIRS))
KERNEL_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack --no-dynamic-linker --no-relax \
  -T abyss/kernel.ld

HOST_CXXFLAGS := -std=c++20 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
  -fno-omit-frame-pointer -Wall -Wextra -Werror -MMD -MP
CATCH2_V3 := $(wildcard $(CATCH2_PREFIX)/include/catch2/catch_test_macros.hpp)
ifneq ($(CATCH2_V3),)
  HOST_CXXFLAGS += -DKEOS_CATCH2_V3
  HOST_LIBS := -lCatch2Main -lCatch2
endif
ifneq ($(CATCH2_PREFIX),/usr)
  HOST_CXXFLAGS += -I$(CATCH2_PREFIX)/include
  HOST_LIBS := -L$(CATCH2_PREFIX)/lib $(HOST_LIBS)
endif

# ---------------------------------------------------------------------------------------
# Parts

KERNEL_SRCS :=
KERNEL_ASM :=
KERNEL_INCLUDE_DIRS :=
UNIT_SRCS :=
UNIT_KERNEL_SRCS :=

include abyss/abyss.mk
include keos/keos.mk
include userland/userland.mk
include project3/project3.mk
include bench/bench.mk

KERNEL_OBJS := $(patsubst %.cpp,$(BUILD)/kernel/%.o,$(KERNEL_SRCS)) \
               $(patsubst %.asm,$(BUILD)/kernel/%.o,$(KERNEL_ASM))
UNIT_OBJS := $(patsubst %.cpp,$(BUILD)/unit/%.o,$(UNIT_SRCS) $(UNIT_KERNEL_SRCS))

# Two kernels that differ only in project 3's file: "student" (project3/fork.cpp) and
# "solution" (project3/solution/fork.cpp, absent from the handout). SOLUTION=1 picks the
# one that `make`, `make run` and `make gdb` use; `make test` checks both.
VARIANT := $(if $(filter 1,$(SOLUTION)),solution,student)
VARIANTS := student $(if $(PROJECT3_SRC_solution),solution)
KERNEL_ELF := $(BUILD)/kernel-$(VARIANT).elf
ISO := $(BUILD)/keos-$(VARIANT).iso
UNIT_BIN := $(BUILD)/unit/unit_tests

.PHONY: all run test unit gdb memmap memmap-pictures grade submit handout gradescope gradescope-chroot bench fuzz clean tools FORCE docs diagrams docs-tools gdb-tools \
  run-tools unit-tools test-tools compdb
.DEFAULT_GOAL := all

# Objects depend on a stamp holding their flags, so changing a flag rebuilds them.
define flags_stamp
	@mkdir -p $(dir $@)
	@echo '$(1)' | cmp -s - $@ || echo '$(1)' > $@
endef
$(BUILD)/kernel.flags: FORCE
	$(call flags_stamp,$(CXX) $(KERNEL_CXXFLAGS) $(KERNEL_INCLUDES))
$(BUILD)/unit.flags: FORCE
	$(call flags_stamp,$(HOSTCXX) $(HOST_CXXFLAGS) $(KERNEL_INCLUDES))

all: $(ISO)

# Tool checks (scripts/setup.sh): each target asks only for the tools it uses, installs
# what is missing (or names the packages and says how). Order-only: they force no rebuild.
# `make tools` is the build's set; `scripts/setup.sh image` installs every set (CI does).
tools:
	@scripts/setup.sh --for "make" build
run-tools:
	@scripts/setup.sh --for "make $(firstword $(filter run test grade gdb bench fuzz,$(MAKECMDGOALS)) run)" run
unit-tools:
	@scripts/setup.sh --for "make $(firstword $(filter unit test,$(MAKECMDGOALS)) unit)" unit
test-tools:
	@scripts/setup.sh --for "make test" run unit clangd

# ---------------------------------------------------------------------------------------
# Kernel

$(BUILD)/kernel/%.o: %.cpp $(BUILD)/kernel.flags | tools
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CXX     $<")
	$(Q)$(CXX) $(KERNEL_CXXFLAGS) $(KERNEL_INCLUDES) -c $< -o $@

# The student's file: a warning is shown but does not stop the build (only errors do), and
# the compiler leaves what the grader checks before linking a submission
# (grader/integrity.py): every file it read (-MD lists system headers too), the
# preprocessed text and the assembly (-save-temps: fork.ii, fork.s beside the object).
STUDENT_CXXFLAGS = $(filter-out -Werror -MMD,$(KERNEL_CXXFLAGS)) -MD -save-temps=obj
STUDENT_OBJ := $(BUILD)/kernel/$(PROJECT3_SRC_student:.cpp=.o)
$(BUILD)/student.flags: FORCE
	$(call flags_stamp,$(STUDENT_CXXFLAGS) $(KERNEL_INCLUDES))
$(STUDENT_OBJ): $(PROJECT3_SRC_student) $(BUILD)/student.flags | tools
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CXX     $<")
	$(Q)$(CXX) $(STUDENT_CXXFLAGS) $(KERNEL_INCLUDES) -c $< -o $@

$(BUILD)/kernel/%.o: %.asm | tools
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  NASM    $<")
	$(Q)$(NASM) -f elf64 -Werror -o $@ $<

# The root file system: a ustar archive (GRUB module "rootfs") of every ROOTFS_FILES entry,
# under its base name, in a reproducible order. The programs built here go in without
# their debugging sections (a quarter of the size: every boot reads the archive through
# GRUB, and that read is a good part of a boot under emulation); gdb and the symbolizer
# read the full ones in build/userland/bin. Other files (the crafted ELF files among them)
# go in byte for byte.
ROOTFS := $(BUILD)/rootfs.tar
$(ROOTFS): $(ROOTFS_FILES)
	@rm -rf $(BUILD)/rootfs && mkdir -p $(BUILD)/rootfs
	$(Q)cp $(filter-out $(USER_PROGS),$(ROOTFS_FILES)) $(BUILD)/rootfs/
	$(Q)for f in $(filter $(USER_PROGS),$(ROOTFS_FILES)); do \
	  $(OBJCOPY) --strip-debug $$f $(BUILD)/rootfs/$${f##*/} || exit 1; done
	$(Q)$(TAR) --format=ustar --owner=0 --group=0 --numeric-owner --mtime=@0 --sort=name \
	  -cf $@ -C $(BUILD)/rootfs $(notdir $(ROOTFS_FILES))

# One kernel variant ($1): two links (the first gives the addresses for the symbol table,
# the second embeds it in .ksyms, which lies after all code, so no function moves:
# checked), then the ISO.
define kernel_variant
$(BUILD)/kernel-$1.stage1.elf: $(KERNEL_OBJS) $(BUILD)/kernel/$(PROJECT3_SRC_$1:.cpp=.o) abyss/kernel.ld
	@$(if $(Q),echo "  LD      $$@")
	$(Q)$(LD) $(KERNEL_LDFLAGS) -o $$@ $(KERNEL_OBJS) $(BUILD)/kernel/$(PROJECT3_SRC_$1:.cpp=.o)

$(BUILD)/ksyms-$1.o: $(BUILD)/kernel-$1.stage1.elf scripts/mksyms.py
	$(PYTHON) scripts/mksyms.py $$< $(BUILD)/ksyms-$1.bin
	cd $(BUILD) && $(OBJCOPY) -I binary -O elf64-x86-64 -B i386:x86-64 \
	  --rename-section .data=.ksyms,alloc,load,readonly,data,contents ksyms-$1.bin ksyms-$1.o

$(BUILD)/kernel-$1.elf: $(BUILD)/kernel-$1.stage1.elf $(BUILD)/ksyms-$1.o
	@$(if $(Q),echo "  LD      $$@")
	$(Q)$(LD) $(KERNEL_LDFLAGS) -o $$@ $(KERNEL_OBJS) $(BUILD)/kernel/$(PROJECT3_SRC_$1:.cpp=.o) \
	  $(BUILD)/ksyms-$1.o
	$(PYTHON) scripts/mksyms.py --same $(BUILD)/kernel-$1.stage1.elf $$@

$(BUILD)/keos-$1.iso: $(BUILD)/kernel-$1.elf $(ROOTFS) scripts/grub.cfg | tools
	@rm -rf $(BUILD)/iso-$1 && mkdir -p $(BUILD)/iso-$1/boot/grub
	$(OBJCOPY) --strip-debug $(BUILD)/kernel-$1.elf $(BUILD)/iso-$1/boot/kernel.elf
	cp $(ROOTFS) $(BUILD)/iso-$1/boot/rootfs.tar
	cp scripts/grub.cfg $(BUILD)/iso-$1/boot/grub/grub.cfg
	$(GRUB_MKRESCUE) -o $$@ --install-modules="multiboot2 normal iso9660 biosdisk" \
	  --locales= --fonts= --themes= $(BUILD)/iso-$1 2>$(BUILD)/grub-mkrescue-$1.log || \
	  { cat $(BUILD)/grub-mkrescue-$1.log; exit 1; }
endef
$(foreach v,$(VARIANTS),$(eval $(call kernel_variant,$v)))

# Deliberately broken kernels (staff tree only), for the pictures of docs/project3.md:
# project3/broken/NAME.patch applied to the solution is build/broken/NAME/fork.cpp, and
# the variant broken-NAME links it (build/keos-broken-NAME.iso).
BROKEN_NAMES := $(if $(PROJECT3_SRC_solution),$(basename $(notdir $(wildcard project3/broken/*.patch))))
$(BUILD)/broken/%/fork.cpp: project3/broken/%.patch $(PROJECT3_SRC_solution) grader/patching.py
	@mkdir -p $(dir $@)
	$(Q)$(PYTHON) grader/patching.py $(PROJECT3_SRC_solution) $< $@
.PRECIOUS: $(BUILD)/broken/%/fork.cpp
$(foreach n,$(BROKEN_NAMES),$(eval PROJECT3_SRC_broken-$n := $(BUILD)/broken/$n/fork.cpp))
$(foreach n,$(BROKEN_NAMES),$(eval $(call kernel_variant,broken-$n)))

# ---------------------------------------------------------------------------------------
# Host unit tests (Catch2, AddressSanitizer + UBSan)

$(BUILD)/unit/%.o: %.cpp $(BUILD)/unit.flags | unit-tools
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCXX $<")
	$(Q)$(HOSTCXX) $(HOST_CXXFLAGS) $(KERNEL_INCLUDES) -Iabyss/tests/support -Ikeos/tests/support -c $< -o $@

# Catch2's own main is third-party code: GCC's -Wmaybe-uninitialized misfires inside it.
$(BUILD)/unit/abyss/tests/support/main.o: HOST_CXXFLAGS += -w

$(UNIT_BIN): $(UNIT_OBJS)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(HOSTCXX) $(HOST_CXXFLAGS) -o $@ $^ $(HOST_LIBS)

unit: $(UNIT_BIN)
	$(UNIT_BIN)

# ---------------------------------------------------------------------------------------
# Editors: compile_commands.json (clangd, VS Code) with the real flags of every compiled
# file (kernel, student's file, unit tests, user programs), read from a dry run of the
# build itself (scripts/compdb.py); .clangd drops the GCC-only flags for clangd.

COMPDB_TARGETS = $(KERNEL_OBJS) $(foreach v,$(VARIANTS),$(BUILD)/kernel/$(PROJECT3_SRC_$v:.cpp=.o)) \
  $(USER_CRT0) $(USER_LIB_OBJS) $(USER_PROGS) $(COMPAT_PROGS) $(UNIT_OBJS)
COMPDB_OUT ?= compile_commands.json
compdb:
	$(Q)$(PYTHON) scripts/compdb.py --out $(COMPDB_OUT) -- \
	  $(MAKE) --no-print-directory -n -B $(COMPDB_TARGETS)

# ---------------------------------------------------------------------------------------
# Running

# ARGS and STDIN reach run.py through the environment, so any quotes in them arrive intact
# (ARGS is split into words by run.py, like a shell would).
export ARGS STDIN
RUN_FLAGS = --iso $(ISO) --ncpu $(NCPU) --mem $(MEM) $(if $(KVM),--kvm) $(if $(TESTS),--tests '$(TESTS)') \
  $(if $(PROG),--prog '$(PROG)' --args "$$ARGS" --stdin "$$STDIN") \
  $(if $(EXTRA_PROGS),--extra-progs '$(EXTRA_PROGS)') $(if $(TIMEOUT_SCALE),--timeout-scale $(TIMEOUT_SCALE))

run: $(ISO) | run-tools
	$(Q)$(PYTHON) grader/run.py $(RUN_FLAGS) $(if $(PROG),,--rubric $(PROJECT3_RUBRIC)) $(if $(V),--verbose)

test: $(foreach v,$(VARIANTS),$(BUILD)/keos-$v.iso) $(UNIT_BIN) | test-tools
	$(PYTHON) grader/check.py --iso $(BUILD)/keos-student.iso --rubric $(PROJECT3_RUBRIC) \
	  $(if $(PROJECT3_SRC_solution),--solution-iso $(BUILD)/keos-solution.iso) \
	  --unit $(UNIT_BIN) --mem $(MEM) --jobs $(JOBS) $(if $(KVM),--kvm) $(if $(TESTS),--tests '$(TESTS)')

# GDB_PORT: the port QEMU waits on (default: a free one); GDB_WAIT=1: start no GDB, wait
# for one to attach with build/gdb/attach.gdb (VS Code's launch.json), with no time-out.
GDB_PORT ?=
GDB_WAIT ?=
gdb: $(ISO) | run-tools $(if $(GDB_WAIT),,gdb-tools)
	$(PYTHON) grader/run.py $(RUN_FLAGS) --gdb --elf $(KERNEL_ELF) --rubric $(PROJECT3_RUBRIC) \
	  $(if $(GDB_PORT),--gdb-port $(GDB_PORT)) $(if $(GDB_WAIT),--gdb-wait)

# The autograder (grader/grade.py; docs/grading.md). Grades $(ISO) (SOLUTION=1: the
# reference solution), or a submission built on a pristine copy of the skeleton (the
# student kernel is built first: its objects seed the submission's build).
GRADE_FLAGS = --rubric $(PROJECT3_RUBRIC) --jobs $(JOBS) $(if $(KVM),--kvm) \
  $(if $(TESTS),--tests '$(TESTS)') $(if $(REPEAT),--repeat $(REPEAT)) \
  $(if $(TIMEOUT_SCALE),--timeout-scale $(TIMEOUT_SCALE)) \
  $(if $(FAIL_UNDER),--fail-under $(FAIL_UNDER)) $(GRADE_ARGS)

grade: $(if $(SUBMISSION)$(SUBMISSIONS),$(BUILD)/keos-student.iso,$(ISO)) | run-tools
	$(PYTHON) grader/grade.py $(GRADE_FLAGS) \
	  $(if $(SUBMISSIONS),--bulk '$(SUBMISSIONS)',$(if $(SUBMISSION),--submission '$(SUBMISSION)',--iso $(ISO)))

# Pictures of the address spaces (grader/memmap_run.py): runs PROG with the kernel's
# memory-map snapshots on and writes build/memmap/index.html. One CPU unless NCPU is given
# on the command line, so that the pictures are the same every run.
MEMMAP_NCPU = $(if $(filter command line,$(origin NCPU)),$(NCPU),1)
memmap: $(ISO)
	$(PYTHON) grader/memmap_run.py --iso $(ISO) --prog '$(PROG)' --args "$$ARGS" \
	  --stdin "$$STDIN" --ncpu $(MEMMAP_NCPU) --mem $(MEM) $(if $(KVM),--kvm) \
	  $(if $(EXTRA_PROGS),--extra-progs '$(EXTRA_PROGS)')

# The pictures of docs/project3.md (checked in): the first fork of cow_data drawn by
# make memmap on the solution and on two broken solutions (project3/broken/).
MEMMAP_PICTURES := docs/memmap/fork-correct.svg docs/memmap/fork-parent-writable.svg \
  docs/memmap/fork-no-child-reference.svg
ifneq ($(PROJECT3_SRC_solution),)
memmap-pictures: $(MEMMAP_PICTURES)
docs/memmap/fork-correct.svg: $(BUILD)/keos-solution.iso grader/memmap_svg.py
docs/memmap/fork-parent-writable.svg: $(BUILD)/keos-broken-parent_stays_writable.iso grader/memmap_svg.py
docs/memmap/fork-no-child-reference.svg: $(BUILD)/keos-broken-no_child_reference.iso grader/memmap_svg.py
$(MEMMAP_PICTURES):
	@mkdir -p $(dir $@)
	$(PYTHON) grader/memmap_run.py --iso $< --prog cow_data --ncpu 1 --mem $(MEM) \
	  --out $(BUILD)/memmap-pictures/$(basename $(notdir $@)) --fork-svg $@
else
memmap-pictures:
	@echo "memmap-pictures: needs the reference solution and project3/broken/ (staff tree)"
endif

# What a student hands in: build/submission.zip (the graded file, the revision, a note of
# other changed files), checked as the grader will (grader/submit.py).
submit: $(BUILD)/keos-student.iso
	$(PYTHON) grader/submit.py

# The student handout: the tree without staff-only material (grader/staff_only.txt).
handout:
	$(PYTHON) grader/handout.py --out $(BUILD)/handout.tar.gz

# The Gradescope autograder (grader/gradescope/): the handout with setup.sh and
# run_autograder at its top. Never the solution: the same file list as the handout.
gradescope:
	$(PYTHON) grader/gradescope/bundle.py --out $(BUILD)/gradescope/autograder.zip

# The bundle tried in a fresh Debian root (debootstrap + chroot), as Gradescope uses it:
# setup.sh, then the solution (100) and the skeleton (0). Root, debootstrap and the Debian
# archive (hundreds of MB, minutes). `make test` runs it too (as root), with the root kept
# in /var/tmp/keos-gs-base.
# GS_CHROOT_FLAGS: e.g. --base /var/tmp/keos-gs-base (reuse a debootstrapped root), --keep.
GS_CHROOT_FLAGS ?=
gradescope-chroot: gradescope
	grader/gradescope/chroot_check.sh --jobs $(JOBS) $(GS_CHROOT_FLAGS)

gdb-tools:
	@scripts/setup.sh --for "make gdb" gdb

# Benchmarks (bench/bench.py) on the reference solution's kernel (in the handout: the
# student's, once fork works): BENCH_MODE=tcg (default), icount (QEMU counts instructions)
# or kvm. Results: build/bench/results.json.
BENCH_MODE ?= $(if $(KVM),kvm,tcg)
bench: $(BUILD)/keos-$(if $(PROJECT3_SRC_solution),solution,student).iso | run-tools
	$(PYTHON) bench/bench.py --iso $< --mode $(BENCH_MODE) --mem $(MEM)

# ---------------------------------------------------------------------------------------
# Documentation: the API reference (Doxygen over the public headers and project3/fork.cpp)
# and the manual's diagrams (Graphviz sources in docs/diagrams, their SVGs checked in).

DIAGRAMS := $(patsubst %.dot,%.svg,$(wildcard docs/diagrams/*.dot))

docs-tools:
	@scripts/setup.sh --for "make $(firstword $(filter docs diagrams,$(MAKECMDGOALS)) docs)" docs

# Doxygen writes its warnings to a log; a single warning fails the target.
docs: $(DIAGRAMS) | docs-tools
	@rm -rf $(BUILD)/docs && mkdir -p $(BUILD)/docs
	@$(if $(Q),echo "  DOXYGEN docs/Doxyfile")
	$(Q)doxygen docs/Doxyfile
	@if [ -s $(BUILD)/docs/warnings.log ]; then cat $(BUILD)/docs/warnings.log; \
	  echo "docs: $$(wc -l < $(BUILD)/docs/warnings.log) Doxygen warning line(s)" >&2; exit 1; fi
	@echo "docs: $(BUILD)/docs/html/index.html, 0 warnings"

diagrams: $(DIAGRAMS)

docs/diagrams/%.svg: docs/diagrams/%.dot | docs-tools
	@$(if $(Q),echo "  DOT     $<")
	$(Q)dot -Tsvg -o $@ $<

# A long fuzzer run: `make fuzz SEED=1 ITER=100000 [FORK=1]` (FORK=1 forks too, and so
# runs the solution's kernel).
SEED ?=
ITER ?= 20000
FORK ?=
fuzz: SOLUTION := $(if $(FORK),1,$(SOLUTION))
fuzz:
	$(MAKE) run PROG=fuzz SOLUTION=$(SOLUTION) \
	  ARGS="$(if $(SEED),$(SEED),random) $(ITER) $(if $(FORK),fork)"

clean:
	rm -rf $(BUILD)

# Every user program of every part (each *.mk adds its own with user_programs).
.PHONY: userland
userland: $(USER_PROGS)

-include $(KERNEL_OBJS:.o=.d) $(UNIT_OBJS:.o=.d) $(USER_PROGS:=.d) \
  $(foreach v,$(VARIANTS),$(BUILD)/kernel/$(PROJECT3_SRC_$v:.cpp=.d))
