#include <abyss/backtrace.hpp>

#include <abyss/addressing.hpp>
#include <abyss/console.hpp>
#include <abyss/symbols.hpp>

extern "C" const unsigned char __ksyms_start[], __ksyms_end[];

namespace abyss {
namespace {

constexpr int kMaxFrames = 32;
// Frame pointers must point into the direct map (kernel stacks, the boot stack).
constexpr std::uint64_t kDirectMapEnd = kDirectMapBase + (512ull << 30);

void print_frame(int index, std::uint64_t address, std::uint64_t lookup_address) {
  SymbolInfo sym = kernel_symbols().lookup(lookup_address);
  if (sym.name == nullptr) {
    console::line("  #%-2d 0x%016lx  ??", index, address);
  } else {
    console::line("  #%-2d 0x%016lx  %s+0x%lx", index, address, sym.name,
                  address - (lookup_address - sym.offset));
  }
}

}  // namespace

const SymbolTable& kernel_symbols() {
  static const SymbolTable table(__ksyms_start,
                                 static_cast<std::size_t>(__ksyms_end - __ksyms_start));
  return table;
}

void print_backtrace(std::uint64_t rip, std::uint64_t rbp, FirstFrame first) {
  console::line("backtrace:");
  print_frame(0, rip, first == FirstFrame::kReturnAddress ? rip - 1 : rip);
  for (int i = 1; i < kMaxFrames; ++i) {
    if (rbp < kDirectMapBase || rbp >= kDirectMapEnd - 16 || (rbp & 7) != 0) break;
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

}  // namespace abyss
