# userland: the user C library, the test programs and the root file system.
#   build/userland/lib/crt0.o, build/userland/lib/libc.a   the library
#   build/userland/bin/NAME                                 one program per DIR/NAME.c, for each
#                                                           DIR given to user_programs (this
#                                                           part's userland/tests; project3's
#                                                           and bench's own programs)
# Every compile goes through userland/keos-cc, which holds the flags, so programs compiled by
# hand (see docs/userland.md) are built exactly like these.

USER_CC := userland/keos-cc
# keos-cc holds the flags of KeOS's user build, where warnings are not errors; the tree's
# own library and programs are held to more. -MD, not -MMD: the library's headers are
# system headers (-isystem), which -MMD leaves out of the dependencies.
USER_CFLAGS := -O2 -g -Wextra -Werror -MD -MP
USER_LIB_SRCS := $(filter-out userland/lib/crt0.c,$(wildcard userland/lib/*.c))
USER_LIB_OBJS := $(patsubst userland/lib/%.c,$(BUILD)/userland/lib/%.o,$(USER_LIB_SRCS))
USER_LIB := $(BUILD)/userland/lib/libc.a
USER_CRT0 := $(BUILD)/userland/lib/crt0.o
USER_PROGS :=

ROOTFS_FILES += $(wildcard userland/rootfs/*) $(USER_PROGS)

# $(eval $(call user_programs,DIR)): every DIR/NAME.c is a program, build/userland/bin/NAME,
# in the root file system. Its quoted includes are looked up in DIR, then in userland/tests
# (check.h, the tests' shared checks).
define user_programs
USER_PROGS += $$(patsubst $1/%.c,$$(BUILD)/userland/bin/%,$$(wildcard $1/*.c))
$$(BUILD)/userland/bin/%: $1/%.c $$(USER_LIB) $$(USER_CRT0) userland/user.ld
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  USERCC  $$<")
	$$(Q)$$(USER_CC) $$(USER_CFLAGS) -iquote userland/tests -MF $$@.d -o $$@ $$<
endef

# The library's own loops must stay loops (not calls to memset/memcpy, i.e. to themselves).
$(BUILD)/userland/lib/%.o: userland/lib/%.c $(USER_CC) userland/userland.mk
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  USERCC  $<")
	$(Q)$(USER_CC) $(USER_CFLAGS) -fno-tree-loop-distribute-patterns -c -o $@ $<

$(USER_LIB): $(USER_LIB_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(eval $(call user_programs,userland/tests))

.SECONDARY: $(USER_CRT0)
-include $(USER_LIB_OBJS:.o=.d) $(USER_CRT0:.o=.d)

include userland/hostile/hostile.mk
include userland/compat/compat.mk
