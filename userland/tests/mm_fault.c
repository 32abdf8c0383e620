// mm_fault MODE: one access violation, which must end the process with exit code -1.
// The program prints "mm_fault: MODE" before the faulting access; if it is still alive
// afterwards it prints "mm_fault: MODE survived" and exits with 2.
//
// Modes: write to memory that is not writable (ro_write: a read-only anonymous mapping
// never touched; ro_write_present: the same after a read; ro_file_write: a read-only
// file mapping; rodata_write; text_write), execution of non-executable memory (nx_anon,
// nx_stack, nx_data, nx_file), access to unmapped memory (null_read, null_write,
// low_read: 0x400000, freed: a mapping after munmap, below_stack, gap_exec: a jump to an
// unmapped address), kernel memory (kernel_read, kernel_write, kernel_exec), a
// non-canonical address (noncanon_read, noncanon_high), and CPU exceptions (ud2, div0,
// int3).
#include <fcntl.h>
#include <mman.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>

#define PAGE 4096ul
#define BASE 0x10000000ul
#define STACK_BOTTOM 0x47470000ul

typedef void (*void_fn)(void);

// The empty asm hides the address from the compiler, which would otherwise turn a
// dereference of a constant like 0 into a trap instruction of its own.
static unsigned long opaque(unsigned long addr) {
  __asm__ volatile("" : "+r"(addr));
  return addr;
}
static void read_at(unsigned long addr) { (void)*(volatile uint8_t *)opaque(addr); }
static void write_at(unsigned long addr) { *(volatile uint8_t *)opaque(addr) = 1; }
static void call_at(unsigned long addr) { ((void_fn)opaque(addr))(); }

static void *map(int prot, int fd) {
  void *p = mmap((void *)BASE, PAGE, prot, fd, 0);
  if ((unsigned long)p != BASE) {
    printf("mm_fault: mmap failed: %ld\n", (long)p);
    exit(3);
  }
  return p;
}

static int open_hello(void) {
  int fd = open("hello", O_RDONLY);
  if (fd < 3) {
    printf("mm_fault: open hello failed: %d\n", fd);
    exit(3);
  }
  return fd;
}

static void ro_write(void) { write_at((unsigned long)map(PROT_READ, -1)); }

static void ro_write_present(void) {
  unsigned long p = (unsigned long)map(PROT_READ, -1);
  read_at(p);
  write_at(p);
}

static void ro_file_write(void) {
  unsigned long p = (unsigned long)map(PROT_READ, open_hello());
  read_at(p);
  write_at(p + 3);
}

static const char rodata_text[] = "mm_fault's read-only data";
static void rodata_write(void) { write_at((unsigned long)(uintptr_t)rodata_text); }

int main(int argc, char **argv);
static void text_write(void) { write_at((unsigned long)(uintptr_t)main); }

static const uint8_t ret_insn[] = {0xc3};
static void nx_anon(void) {
  uint8_t *p = map(PROT_READ | PROT_WRITE, -1);
  memcpy(p, ret_insn, sizeof ret_insn);
  call_at((unsigned long)p);
}

static void nx_stack(void) {
  volatile uint8_t code[16];
  code[0] = 0xc3;
  call_at((unsigned long)(uintptr_t)code);
}

static uint8_t data_code[16] = {0xc3};
static void nx_data(void) { call_at((unsigned long)(uintptr_t)data_code); }

static void nx_file(void) {
  unsigned long p = (unsigned long)map(PROT_READ, open_hello());
  read_at(p);
  call_at(p);
}

static void freed(void) {
  unsigned long p = (unsigned long)map(PROT_READ | PROT_WRITE, -1);
  write_at(p);
  if (munmap((void *)p) != 0) {
    printf("mm_fault: munmap failed\n");
    exit(3);
  }
  read_at(p);
}

static void null_read(void) { read_at(0); }
static void null_write(void) { write_at(0); }
static void low_read(void) { read_at(0x400000); }
static void below_stack(void) { read_at(STACK_BOTTOM - 8); }
static void gap_exec(void) { call_at(BASE + 64 * PAGE); }
static void kernel_read(void) { read_at(0xffffff0000100000ul); }
static void kernel_write(void) { write_at(0xffffff0000100000ul); }
static void kernel_exec(void) { call_at(0xffffff0000100000ul); }
static void noncanon_read(void) { read_at(0x0000800000000000ul); }
static void noncanon_high(void) { read_at(0x8000000000000000ul); }
static void ud2(void) { __asm__ volatile("ud2"); }
static void int3(void) { __asm__ volatile("int3"); }

static void div0(void) {
  __asm__ volatile("xor %%ecx, %%ecx\n\tmov $1, %%eax\n\txor %%edx, %%edx\n\tdiv %%ecx"
                   :
                   :
                   : "eax", "ecx", "edx");
}

static const struct {
  const char *name;
  void (*run)(void);
} kModes[] = {
    {"ro_write", ro_write},
    {"ro_write_present", ro_write_present},
    {"ro_file_write", ro_file_write},
    {"rodata_write", rodata_write},
    {"text_write", text_write},
    {"nx_anon", nx_anon},
    {"nx_stack", nx_stack},
    {"nx_data", nx_data},
    {"nx_file", nx_file},
    {"freed", freed},
    {"null_read", null_read},
    {"null_write", null_write},
    {"low_read", low_read},
    {"below_stack", below_stack},
    {"gap_exec", gap_exec},
    {"kernel_read", kernel_read},
    {"kernel_write", kernel_write},
    {"kernel_exec", kernel_exec},
    {"noncanon_read", noncanon_read},
    {"noncanon_high", noncanon_high},
    {"ud2", ud2},
    {"div0", div0},
    {"int3", int3},
};

int main(int argc, char **argv) {
  if (argc != 2) {
    printf("usage: mm_fault MODE\n");
    return 3;
  }
  for (size_t i = 0; i < sizeof kModes / sizeof kModes[0]; ++i) {
    if (strcmp(argv[1], kModes[i].name) != 0) continue;
    printf("mm_fault: %s\n", kModes[i].name);
    kModes[i].run();
    printf("mm_fault: %s survived\n", kModes[i].name);
    return 2;
  }
  printf("mm_fault: unknown mode %s\n", argv[1]);
  return 3;
}
