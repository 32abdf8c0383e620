#include <abyss/backtrace.hpp>

#include <abyss/addressing.hpp>
#include <abyss/console.hpp>
#include <abyss/cpu.hpp>
#include <abyss/string.hpp>
#include <abyss/symbols.hpp>

extern "C" const unsigned char __ksyms_start[], __ksyms_end[];
extern "C" const unsigned char __text_start[], __text_end[];

namespace abyss {

const SymbolTable& kernel_symbols() {
  static const SymbolTable table(__ksyms_start,
                                 static_cast<std::size_t>(__ksyms_end - __ksyms_start));
  return table;
}

namespace {

constexpr int kMaxFrames = 64;
constexpr std::uint64_t kKernelHalf = 0xffff800000000000;

// True if the 8 bytes at `va` (8-aligned) are mapped in the current address space: the
// backtrace must not fault while it reports a fault. A read-only walk of the live table.
bool readable(std::uint64_t va) {
  if ((va & 7) != 0 || va < kKernelHalf) return false;
  std::uint64_t entry = cpu::read_cr3();
  for (int level = 3; level >= 0; --level) {
    const auto* table = phys_ptr<const std::uint64_t>(Pa(entry & 0x000ffffffffff000ull));
    entry = table[(va >> (12 + 9 * level)) & 511];
    if (!(entry & 1)) return false;
    if (level > 0 && level < 3 && (entry & 0x80)) return true;  // 1 GiB or 2 MiB page
  }
  return true;
}

void print_frame(int index, std::uint64_t address, std::uint64_t lookup_address) {
  SymbolInfo sym = kernel_symbols().lookup(lookup_address);
  if (sym.name == nullptr) {
    console::line("  #%-2d 0x%016lx  ??", index, address);
  } else {
    console::line("  #%-2d 0x%016lx  %s+0x%lx", index, address, sym.name,
                  address - (lookup_address - sym.offset));
  }
}

bool in_kernel_text(std::uint64_t address) {
  return address >= reinterpret_cast<std::uint64_t>(__text_start) &&
         address < reinterpret_cast<std::uint64_t>(__text_end);
}

// The length of an indirect `call` (ff /2, optional REX prefix) starting at `p`, or 0.
int indirect_call_length(const unsigned char* p) {
  int prefix = (*p & 0xf0) == 0x40 ? 1 : 0;
  if (p[prefix] != 0xff || ((p[prefix + 1] >> 3) & 7) != 2) return 0;
  unsigned mod = p[prefix + 1] >> 6, rm = p[prefix + 1] & 7;
  int sib = (mod != 3 && rm == 4) ? 1 : 0;
  int disp = mod == 1 ? 1 : mod == 2 ? 4 : 0;
  if (mod == 0 && rm == 5) disp = 4;                               // [rip + disp32]
  if (mod == 0 && sib != 0 && (p[prefix + 2] & 7) == 5) disp = 4;  // SIB without base
  return prefix + 2 + sib + disp;
}

// True if `ret` follows a call that can have entered `function`: a direct `call rel32`
// to it, or any indirect call (its target cannot be checked).
bool returns_from_call_to(std::uint64_t ret, std::uint64_t function) {
  if (!in_kernel_text(ret - 7) || !in_kernel_text(ret)) return false;  // text is mapped
  const auto* insn = reinterpret_cast<const unsigned char*>(ret);
  if (insn[-5] == 0xe8) {
    std::int32_t rel;
    memcpy(&rel, insn - 4, 4);
    if (ret + static_cast<std::int64_t>(rel) == function) return true;
  }
  for (int len = 2; len <= 7; ++len) {
    if (indirect_call_length(insn - len) == len) return true;
  }
  return false;
}

void walk(int first_index, std::uint64_t rbp) {
  for (int i = first_index; i < kMaxFrames; ++i) {
    if (!readable(rbp) || !readable(rbp + 8)) break;
    const auto* frame = reinterpret_cast<const std::uint64_t*>(rbp);
    std::uint64_t next = frame[0];
    std::uint64_t ret = frame[1];
    if (ret == 0) break;
    // A return address points after the call: look up the byte before it.
    print_frame(i, ret, ret - 1);
    if (next <= rbp) break;
    rbp = next;
  }
}

}  // namespace

void print_backtrace(std::uint64_t rip, std::uint64_t rbp, FirstFrame first) {
  console::line("backtrace:");
  print_frame(0, rip, first == FirstFrame::kReturnAddress ? rip - 1 : rip);
  walk(1, rbp);
}

void print_trap_backtrace(std::uint64_t rip, std::uint64_t rsp, std::uint64_t rbp) {
  console::line("backtrace:");
  print_frame(0, rip, rip);
  SymbolInfo sym = kernel_symbols().lookup(rip);
  int next = 1;
  if (sym.name != nullptr && readable(rsp)) {
    std::uint64_t top = *reinterpret_cast<const std::uint64_t*>(rsp);
    if (returns_from_call_to(top, rip - sym.offset)) print_frame(next++, top, top - 1);
  }
  walk(next, rbp);
}

}  // namespace abyss
