# project3: fork with copy-on-write. Not part of KERNEL_SRCS: the Makefile links each
# kernel variant with one of these files (`make SOLUTION=1 ...` selects the solution's).
# The handout has no solution, and then builds the student variant only.
PROJECT3_SRC_student := project3/fork.cpp
PROJECT3_SRC_solution := $(wildcard project3/solution/fork.cpp)
PROJECT3_RUBRIC := project3/rubric.json

# The assignment's tests, all in project3/tests/ so that a course sees and changes them in
# one place: the kernel-side tests (linked into every kernel, selected at boot; the rubric
# gives them points) and the user programs they run (project3/tests/user/, in the root
# file system under their names).
KERNEL_SRCS += $(wildcard project3/tests/*.cpp)
$(eval $(call user_programs,project3/tests/user))
# Staff only, not in the handout: solution/ and broken/ (deliberately broken solutions,
# patches of the solution that `make test` grades and requires to lose points).
