#include <keos/process/elf.hpp>

#include <abyss/string.hpp>

namespace keos {
namespace {

constexpr std::uint16_t kTypeExec = 2;
constexpr std::uint16_t kMachineX86_64 = 62;
constexpr std::uint32_t kPtLoad = 1;
constexpr std::uint32_t kFlagX = 1, kFlagW = 2, kFlagR = 4;
constexpr std::size_t kPhdrSize = 56;
constexpr std::uint16_t kMaxPhdrs = 64;

template <class T>
T read(const std::uint8_t* p) {
  T v;
  memcpy(&v, p, sizeof v);
  return v;
}

Err bad() { return Err(KernelError::kNoExec); }

std::uint64_t first_page(const ElfSegment& s) { return s.vaddr.value() / kPageSize; }
std::uint64_t last_page(const ElfSegment& s) {
  return (s.vaddr.value() + s.memsz - 1) / kPageSize;
}

}  // namespace

Result<ElfHeaderTable> locate_program_headers(const std::uint8_t* data, std::size_t len,
                                              std::uint64_t file_size) {
  if (len < kElfHeaderSize || file_size < len) return bad();
  if (memcmp(data, "\x7f" "ELF", 4) != 0 || data[4] != 2 /* 64-bit */ ||
      data[5] != 1 /* little endian */ || data[6] != 1 /* version */) {
    return bad();
  }
  if (read<std::uint16_t>(data + 16) != kTypeExec ||
      read<std::uint16_t>(data + 18) != kMachineX86_64 || read<std::uint32_t>(data + 20) != 1) {
    return bad();
  }
  std::uint64_t phoff = read<std::uint64_t>(data + 32);
  std::uint16_t phentsize = read<std::uint16_t>(data + 54);
  std::uint16_t phnum = read<std::uint16_t>(data + 56);
  if (phentsize != kPhdrSize || phnum == 0 || phnum > kMaxPhdrs) return bad();
  std::uint64_t table_end = phoff + static_cast<std::uint64_t>(phnum) * kPhdrSize;
  if (phoff > file_size || table_end > file_size || table_end < phoff) return bad();
  return ElfHeaderTable{phoff, static_cast<std::size_t>(phnum) * kPhdrSize};
}

Result<ElfImage> parse_elf(const std::uint8_t* data, std::size_t len, std::uint64_t file_size,
                           std::size_t* needed) {
  ElfHeaderTable table = TRY(locate_program_headers(data, len, file_size));
  if (table.offset + table.size > len) {
    if (needed != nullptr) *needed = static_cast<std::size_t>(table.offset + table.size);
    return bad();
  }
  return parse_elf(data, len, data + table.offset, file_size);
}

Result<ElfImage> parse_elf(const std::uint8_t* header, std::size_t len,
                           const std::uint8_t* table, std::uint64_t file_size) {
  ElfHeaderTable where = TRY(locate_program_headers(header, len, file_size));
  std::uint64_t entry = read<std::uint64_t>(header + 24);
  ElfImage image{};
  image.entry = Va(entry);
  for (std::size_t i = 0; i < where.size / kPhdrSize; ++i) {
    const std::uint8_t* ph = table + i * kPhdrSize;
    if (read<std::uint32_t>(ph) != kPtLoad) continue;
    std::uint32_t flags = read<std::uint32_t>(ph + 4);
    ElfSegment s;
    s.offset = read<std::uint64_t>(ph + 8);
    s.vaddr = Va(read<std::uint64_t>(ph + 16));
    s.filesz = read<std::uint64_t>(ph + 32);
    s.memsz = read<std::uint64_t>(ph + 40);
    if (s.memsz == 0) continue;  // occupies nothing
    if (s.filesz > s.memsz || s.offset > file_size || s.filesz > file_size - s.offset) {
      return bad();
    }
    if (s.vaddr.value() < kPageSize || !is_user_range(s.vaddr, s.memsz)) return bad();
    if (s.vaddr.value() % kPageSize != s.offset % kPageSize) return bad();
    if ((flags & kFlagR) == 0) return bad();  // x86 cannot map what is not readable
    s.permission = Permission::kUser | Permission::kRead;
    if (flags & kFlagW) s.permission = s.permission | Permission::kWrite;
    if (flags & kFlagX) s.permission = s.permission | Permission::kExecutable;
    for (std::size_t k = 0; k < image.segment_count; ++k) {
      const ElfSegment& o = image.segments[k];
      if (first_page(s) <= last_page(o) && first_page(o) <= last_page(s)) return bad();
    }
    if (image.segment_count == ElfImage::kMaxSegments) return bad();
    image.segments[image.segment_count++] = s;
  }
  bool entry_ok = false;
  for (std::size_t k = 0; k < image.segment_count; ++k) {
    const ElfSegment& s = image.segments[k];
    entry_ok |= has(s.permission, Permission::kExecutable) && entry >= s.vaddr.value() &&
                entry - s.vaddr.value() < s.memsz;
  }
  if (!entry_ok) return bad();
  return image;
}

}  // namespace keos
