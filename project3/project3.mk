# project3: fork with copy-on-write. The build compiles exactly one of the student's file
# and the reference solution: `make SOLUTION=1 ...` selects the solution. The kernel is
# relinked whenever the choice changes (the Makefile records the object list).
ifeq ($(SOLUTION),1)
  PROJECT3_SRC := project3/solution/fork.cpp
else
  PROJECT3_SRC := project3/fork.cpp
endif
KERNEL_SRCS += $(PROJECT3_SRC)
