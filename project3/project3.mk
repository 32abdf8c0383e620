# project3: fork with copy-on-write. Not part of KERNEL_SRCS: the Makefile links each
# kernel variant with one of these files (`make SOLUTION=1 ...` selects the solution's).
# The handout has no solution, and then builds the student variant only.
PROJECT3_SRC_student := project3/fork.cpp
PROJECT3_SRC_solution := $(wildcard project3/solution/fork.cpp)
PROJECT3_RUBRIC := project3/rubric.json
