// fork_regs: the child resumes with the parent's registers. Right before the syscall
// instruction every register the ABI preserves holds a marker (and an SSE register too);
// right after it, in both processes, they must hold the same markers, the stack pointer
// must be the same, and only rax differs: 0 in the child, the child's id in the parent.
#include <stdio.h>
#include <syscall-nr.h>
#include <syscall.h>

struct snapshot {
  unsigned long rbx, rdi, rsi, rdx, r8, r9, r10, r12, r13, r14, r15, xmm5, rsp;
  long ret;
};

// User programs are built with -mno-sse (as KeOS builds them); this one function names an
// SSE register, so it alone is compiled for a target that has them.
__attribute__((target("sse2"))) static void fork_marked(struct snapshot *s) {
  register long rax __asm__("rax") = SYS_FORK;
  register unsigned long rdi __asm__("rdi") = 0xd1d1d1d1d1d1d1d1ul;
  register unsigned long rsi __asm__("rsi") = 0x5151515151515151ul;
  register unsigned long rdx __asm__("rdx") = 0xdddddddddddddddul;
  register unsigned long r8 __asm__("r8") = 0x0808080808080808ul;
  register unsigned long r9 __asm__("r9") = 0x0909090909090909ul;
  register unsigned long r10 __asm__("r10") = 0x1010101010101010ul;
  register unsigned long r12 __asm__("r12") = 0x1212121212121212ul;
  register unsigned long r13 __asm__("r13") = 0x1313131313131313ul;
  register unsigned long r14 __asm__("r14") = 0x1414141414141414ul;
  register unsigned long r15 __asm__("r15") = 0x1515151515151515ul;
  register unsigned long rbx __asm__("rbx") = 0xbbbbbbbbbbbbbbbbul;
  unsigned long marker = 0x5a5a5a5a5a5a5a5aul, xmm_after, rsp_before, rsp_after;
  // The stack pointer does not move inside this block, so the memory operands (which may
  // be addressed relative to it) stay valid.
  __asm__ volatile(
      "movq %[marker], %%xmm5\n\t"
      "mov %%rsp, %[rsp_before]\n\t"
      "syscall\n\t"
      "mov %%rsp, %[rsp_after]\n\t"
      "movq %%xmm5, %[xmm_after]\n\t"
      : "+r"(rax), "+r"(rbx), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r8), "+r"(r9), "+r"(r10),
        "+r"(r12), "+r"(r13), "+r"(r14), "+r"(r15), [xmm_after] "=m"(xmm_after),
        [rsp_before] "=m"(rsp_before), [rsp_after] "=m"(rsp_after)
      : [marker] "m"(marker)
      : "rcx", "r11", "xmm5", "memory");
  s->ret = rax;
  s->rbx = rbx;
  s->rdi = rdi;
  s->rsi = rsi;
  s->rdx = rdx;
  s->r8 = r8;
  s->r9 = r9;
  s->r10 = r10;
  s->r12 = r12;
  s->r13 = r13;
  s->r14 = r14;
  s->r15 = r15;
  s->xmm5 = xmm_after;
  s->rsp = rsp_after - rsp_before;  // 0 if the stack pointer came back unchanged
}

static int check(const char *who, const struct snapshot *s) {
  int bad = 0;
#define EXPECT(field, value)                                                      \
  if (s->field != (value)) {                                                      \
    printf("%s: %s is %lx, expected %lx\n", who, #field, (unsigned long)s->field, \
           (unsigned long)(value));                                               \
    bad = 1;                                                                      \
  }
  EXPECT(rbx, 0xbbbbbbbbbbbbbbbbul);
  EXPECT(rdi, 0xd1d1d1d1d1d1d1d1ul);
  EXPECT(rsi, 0x5151515151515151ul);
  EXPECT(rdx, 0xdddddddddddddddul);
  EXPECT(r8, 0x0808080808080808ul);
  EXPECT(r9, 0x0909090909090909ul);
  EXPECT(r10, 0x1010101010101010ul);
  EXPECT(r12, 0x1212121212121212ul);
  EXPECT(r13, 0x1313131313131313ul);
  EXPECT(r14, 0x1414141414141414ul);
  EXPECT(r15, 0x1515151515151515ul);
  EXPECT(xmm5, 0x5a5a5a5a5a5a5a5aul);
  EXPECT(rsp, 0ul);
#undef EXPECT
  return bad;
}

int main(void) {
  int fds[2];
  char byte;
  if (pipe(fds) != 0) return 2;
  struct snapshot s;
  fork_marked(&s);
  if (s.ret < 0) {
    printf("fork failed: %ld\n", s.ret);
    return 3;
  }
  if (s.ret == 0) {
    close(fds[0]);
    // The verdict travels through the pipe: one byte, 'y' or 'n'.
    write(fds[1], check("child", &s) ? "n" : "y", 1);
    exit(0);
  }
  close(fds[1]);
  int bad = check("parent", &s);
  if (read(fds[0], &byte, 1) != 1) {
    printf("the child sent no verdict\n");
    return 4;
  }
  if (byte != 'y') bad = 1;
  printf(bad ? "fork_regs: registers differ\n" : "fork_regs: ok\n");
  return bad;
}
