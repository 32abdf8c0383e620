// User programs for the system-call rules of keos-port-facts.md ("System-call ABI",
// "Processes", "Files the tests expect") and the user C library ("User C library API").
// Each program checks its own rules and exits 1 with a "FAIL file:line: ..." line at the
// first broken one (userland/tests/sys_check.h); where the output is deterministic the
// test also compares it exactly.
#include <ktest/user_test.hpp>

// --- Arguments and the initial stack (userland/tests/sys_args.c) ---

// The example of the facts file: these exact addresses.
KEOS_USER_TEST(sys_args, .program = "sys_args", .args = {"/bin/ls", "-l", "foo", "bar"},
               .exit_code = 0,
               .stdout_text =
                   "argc=4\n"
                   "argv=0x4747ffc0\n"
                   "argv[0]=0x4747ffed \"/bin/ls\"\n"
                   "argv[1]=0x4747fff5 \"-l\"\n"
                   "argv[2]=0x4747fff8 \"foo\"\n"
                   "argv[3]=0x4747fffc \"bar\"\n"
                   "argv[4]=0x0\n"
                   "rsp=0x4747ffb8 return=0x0\n")

// Only the program's name: the default argv.
KEOS_USER_TEST(sys_args_none, .program = "sys_args", .exit_code = 0,
               .stdout_text =
                   "argc=1\n"
                   "argv=0x4747ffe0\n"
                   "argv[0]=0x4747fff7 \"sys_args\"\n"
                   "argv[1]=0x0\n"
                   "rsp=0x4747ffd8 return=0x0\n")

// Sixteen arguments (the most a test can pass), empty ones, a long one, a space inside.
KEOS_USER_TEST(sys_args_many, .program = "sys_args",
               .args = {"sys_args", "", "a", "bb", "ccc", "dddd", "eeeee", "ffffff", "ggggggg",
                        "hhhhhhhh", "",
                        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                        "xxxxxxxxxxxxxxxxxxxxxxxxxxx",
                        "tail", "with space", "12345678901234567", "z"},
               .exit_code = 0,
               .stdout_text =
                   "argc=16\n"
                   "argv=0x4747feb8\n"
                   "argv[0]=0x4747ff40 \"sys_args\"\n"
                   "argv[1]=0x4747ff49 \"\"\n"
                   "argv[2]=0x4747ff4a \"a\"\n"
                   "argv[3]=0x4747ff4c \"bb\"\n"
                   "argv[4]=0x4747ff4f \"ccc\"\n"
                   "argv[5]=0x4747ff53 \"dddd\"\n"
                   "argv[6]=0x4747ff58 \"eeeee\"\n"
                   "argv[7]=0x4747ff5e \"ffffff\"\n"
                   "argv[8]=0x4747ff65 \"ggggggg\"\n"
                   "argv[9]=0x4747ff6d \"hhhhhhhh\"\n"
                   "argv[10]=0x4747ff76 \"\"\n"
                   "argv[11]=0x4747ff77 "
                   "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                   "xxxxxxxxxxxxxxxxxxxxxxx\"\n"
                   "argv[12]=0x4747ffdc \"tail\"\n"
                   "argv[13]=0x4747ffe1 \"with space\"\n"
                   "argv[14]=0x4747ffec \"12345678901234567\"\n"
                   "argv[15]=0x4747fffe \"z\"\n"
                   "argv[16]=0x0\n"
                   "rsp=0x4747feb0 return=0x0\n")

// --- open and close ---

KEOS_USER_TEST(sys_open, .program = "sys_open", .exit_code = 0, .stdout_text = "sys_open: ok\n")

// The 1024-file limit (EMFILE), also for pipes.
KEOS_USER_TEST(sys_open_many, .program = "sys_open_many", .exit_code = 0,
               .stdout_text = "opened 1021 files\nclosed them all\n")

// --- read, seek, tell and write on regular files ---

// Prints the 32-byte prefix of `hello`.
KEOS_USER_TEST(sys_read, .program = "sys_read", .exit_code = 0,
               .stdout_text = "Welcome to KeOS Project!\n\nEven t|\n")

// Writes to hello2, then restores it.
KEOS_USER_TEST(sys_write, .program = "sys_write", .exit_code = 0, .stdout_text = "sys_write: ok\n")

// --- Descriptors and buffers that are not valid ---

KEOS_USER_TEST(sys_fd_errors, .program = "sys_fd_errors", .exit_code = 0,
               .stdout_text = "sys_fd_errors: ok\n")

// --- The standard descriptors ---

// The input comes back unchanged in 7-byte reads (stderr is captured apart from stdout).
KEOS_USER_TEST(sys_stdio, .program = "sys_stdio",
               .stdin_text =
                   "KeOS reads standard input.\nSecond line,\twith a tab.\n\n"
                   "  indented; symbols !@#$%^&*()\nlast line, no newline",
               .exit_code = 0,
               .stdout_text =
                   "KeOS reads standard input.\nSecond line,\twith a tab.\n\n"
                   "  indented; symbols !@#$%^&*()\nlast line, no newline"
                   "[105 bytes in 15 reads]\n")

// No input at all: the first read returns 0.
KEOS_USER_TEST(sys_stdio_empty, .program = "sys_stdio", .exit_code = 0,
               .stdout_text = "[0 bytes in 0 reads]\n")

// More input than a page (100 lines of 50 bytes): it all comes back, in order.
#define KEOS_X10(s) s s s s s s s s s s
#define KEOS_LONG_INPUT KEOS_X10(KEOS_X10("The quick brown fox jumps over the lazy dog 0123.\n"))
KEOS_USER_TEST(sys_stdio_long, .program = "sys_stdio", .stdin_text = KEOS_LONG_INPUT,
               .exit_code = 0, .stdout_text = KEOS_LONG_INPUT "[5000 bytes in 715 reads]\n")
#undef KEOS_LONG_INPUT
#undef KEOS_X10

// --- The files of the root file system ---

KEOS_USER_TEST(sys_files, .program = "sys_files", .exit_code = 0, .stdout_text = "sys_files: ok\n")

// --- Pipes (one process holds both ends) ---

KEOS_USER_TEST(sys_pipe, .program = "sys_pipe", .exit_code = 0, .stdout_text = "sys_pipe: ok\n")

// --- Bad pointers everywhere ---

// Standard input holds data, so that only the pointer can make its reads fail.
KEOS_USER_TEST(sys_badptr, .program = "sys_badptr", .stdin_text = "input that must stay unread\n",
               .exit_code = 0, .stdout_text = "sys_badptr: 2176 calls, all failed\n")

// --- How a program is loaded: segments, bss, stack ---

KEOS_USER_TEST(sys_layout, .program = "sys_layout", .exit_code = 0,
               .stdout_text = "3 segments loaded\nsys_layout: ok\n")

// --- The user C library ---

// 82 conversions checked inside, then a few lines on standard output.
KEOS_USER_TEST(libc_printf, .program = "libc_printf", .exit_code = 0,
               .stdout_text =
                   "-1 1 ab AB 0x4747ffc0 str c -5 abc 9 -7\n"
                   "[    1|2    |00003|xy|  q]\n"
                   "p\n"
                   "puts adds a newline\n"
                   "libc_printf: 82 formats ok\n")

KEOS_USER_TEST(libc_string, .program = "libc_string", .exit_code = 0,
               .stdout_text = "libc_string: ok\n")

// A failed ASSERT: the exact message (line 16 of userland/tests/libc_assert.c) and exit 1.
KEOS_USER_TEST(libc_assert, .program = "libc_assert", .exit_code = 1,
               .stdout_text =
                   "before the assertion\n"
                   "User process ABORT at userland/tests/libc_assert.c:16 in "
                   "check_total(): assertion `sum(values, 4) == 11' failed.\n")

// --- The test-only snapshot call (userland/tests/sys_memmap.c) ---

// Snapshots are off in test boots: the call is -ENOSYS whatever its argument. make test's
// memmap check runs the program with them on, where it checks the argument errors.
KEOS_USER_TEST(sys_memmap, .program = "sys_memmap", .exit_code = 0,
               .stdout_text = "snapshots off\n")
