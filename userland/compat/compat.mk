# userland/compat: the compatibility suite, programs written as KeOS course programs are
# (kelibc's headers and API only, their own get_phys, unused argc/argv, %llx ...). Each is
# built exactly as a course builds one, `userland/keos-cc -o NAME NAME.c` and nothing more,
# into build/compat/bin/NAME (the compiler's warnings, expected for such programs, into
# NAME.warnings). grader/compat.py runs them under QEMU as extra programs and compares
# their output and exit code with userland/compat/expected/NAME.out and compat.txt.

COMPAT_PROGS := $(patsubst userland/compat/%.c,$(BUILD)/compat/bin/%,$(wildcard userland/compat/*.c))

$(BUILD)/compat/bin/%: userland/compat/%.c $(USER_LIB) $(USER_CRT0) userland/user.ld $(USER_CC)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  KEOS-CC $<")
	$(Q)$(USER_CC) -o $@ $< 2>$@.warnings || { cat $@.warnings; exit 1; }

.PHONY: compat
compat: $(COMPAT_PROGS)
test: $(COMPAT_PROGS)
