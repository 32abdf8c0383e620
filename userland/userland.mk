# userland: the files of the root file system (and, with the process issue, the user C
# library and the test programs, which join them).
ROOTFS_FILES += $(wildcard userland/rootfs/*)
