# userland/hostile: crafted ELF files for the hostile-input tests (keos/ktests/hostile_elf.cpp),
# one build/hostile/NAME per name userland/hostile/mkhostile.py knows, all in the root file
# system: tiny_elf (well formed, exits with 7) and the bad_elf_* files the loader must refuse.

HOSTILE_GEN := userland/hostile/mkhostile.py
HOSTILE_NAMES := $(shell $(PYTHON) $(HOSTILE_GEN) --list)
HOSTILE_FILES := $(addprefix $(BUILD)/hostile/,$(HOSTILE_NAMES))

ROOTFS_FILES += $(HOSTILE_FILES)

$(BUILD)/hostile/%: $(HOSTILE_GEN)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTILE $@")
	$(Q)$(PYTHON) $(HOSTILE_GEN) $@
