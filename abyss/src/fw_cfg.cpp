#include <abyss/fw_cfg.hpp>

#include <cstdint>

#include <abyss/cpu.hpp>
#include <abyss/string.hpp>

namespace abyss::fw_cfg {
namespace {

constexpr std::uint16_t kSelectorPort = 0x510;
constexpr std::uint16_t kDataPort = 0x511;
constexpr std::uint16_t kSignature = 0x0000;
constexpr std::uint16_t kFileDir = 0x0019;

void select(std::uint16_t key) { cpu::outw(kSelectorPort, key); }
void read_bytes(void* dst, std::size_t n) {
  auto* p = static_cast<std::uint8_t*>(dst);
  for (std::size_t i = 0; i < n; ++i) p[i] = cpu::inb(kDataPort);
}
std::uint32_t be32(std::uint32_t v) { return __builtin_bswap32(v); }
std::uint16_t be16(std::uint16_t v) { return __builtin_bswap16(v); }

}  // namespace

bool present() {
  char sig[4];
  select(kSignature);
  read_bytes(sig, 4);
  return memcmp(sig, "QEMU", 4) == 0;
}

long read_file(const char* name, char* buf, std::size_t cap) {
  if (!present()) return -1;
  select(kFileDir);
  std::uint32_t count;
  read_bytes(&count, 4);
  count = be32(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    struct {
      std::uint32_t size;
      std::uint16_t select;
      std::uint16_t reserved;
      char name[56];
    } entry;
    read_bytes(&entry, sizeof entry);
    entry.name[55] = '\0';
    if (strcmp(entry.name, name) != 0) continue;
    std::uint32_t size = be32(entry.size);
    select(be16(entry.select));
    std::size_t n = cap == 0 ? 0 : (size < cap - 1 ? size : cap - 1);
    read_bytes(buf, n);
    if (cap != 0) buf[n] = '\0';
    return size;
  }
  return -1;
}

}  // namespace abyss::fw_cfg
