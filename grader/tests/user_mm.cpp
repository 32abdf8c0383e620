// Memory tests through user programs (userland/tests/mm_*.c): anonymous and file mmap,
// munmap, argument checks, lazy paging, access violations ending the process with -1,
// and kernel-side checks that exiting processes give back every frame.
#include "support/user_test.hpp"

// --- mmap and munmap ---------------------------------------------------------------------

KEOS_USER_TEST(mm_anon, .program = "mm_anon", .exit_code = 0,
               .stdout_text = "mm_anon: 3 pages zero-filled, written and read back\n"
                              "mm_anon: a 100-byte mapping covers exactly one page\n"
                              "mm_anon: two mappings have separate memory\n"
                              "mm_anon: 16 MiB mapping: first and last byte written\n"
                              "mm_anon: the top page of user space is mappable\n"
                              "mm_anon: ok\n")
