#include <abyss/acpi.hpp>

#include <abyss/string.hpp>

namespace abyss {
namespace {

constexpr std::size_t kHeaderSize = 36;

template <class T>
T read(const unsigned char* p) {
  T v;
  memcpy(&v, p, sizeof v);
  return v;
}

bool checksum_ok(const unsigned char* p, std::size_t len) {
  unsigned char sum = 0;
  for (std::size_t i = 0; i < len; ++i) sum = static_cast<unsigned char>(sum + p[i]);
  return sum == 0;
}

// Maps a whole table (header first, then its declared length) and checks it.
const unsigned char* map_table(PhysView view, Pa pa, std::uint32_t* length) {
  const auto* header = static_cast<const unsigned char*>(view.read(view.ctx, pa, kHeaderSize));
  if (header == nullptr) return nullptr;
  std::uint32_t len = read<std::uint32_t>(header + 4);
  if (len < kHeaderSize) return nullptr;
  const auto* table = static_cast<const unsigned char*>(view.read(view.ctx, pa, len));
  if (table == nullptr || !checksum_ok(table, len)) return nullptr;
  *length = len;
  return table;
}

void parse_madt(const unsigned char* madt, std::uint32_t len, AcpiInfo& out) {
  if (len < 44) return;
  out.lapic_base = Pa(read<std::uint32_t>(madt + 36));
  for (std::uint32_t off = 44; off + 2 <= len;) {
    std::uint8_t type = madt[off];
    std::uint8_t entry_len = madt[off + 1];
    if (entry_len < 2 || off + entry_len > len) break;
    const unsigned char* e = madt + off;
    std::uint32_t apic_id = 0, flags = 0;
    bool is_cpu = false;
    if (type == 0 && entry_len >= 8) {  // processor local APIC
      apic_id = e[3];
      flags = read<std::uint32_t>(e + 4);
      is_cpu = true;
    } else if (type == 9 && entry_len >= 16) {  // processor local x2APIC
      apic_id = read<std::uint32_t>(e + 4);
      flags = read<std::uint32_t>(e + 8);
      is_cpu = true;
    } else if (type == 5 && entry_len >= 12) {  // local APIC address override
      out.lapic_base = Pa(read<std::uint64_t>(e + 4));
    }
    if (is_cpu && (flags & 0x3) != 0) {
      bool duplicate = false;
      for (std::size_t i = 0; i < out.cpu_count; ++i) duplicate |= out.apic_ids[i] == apic_id;
      if (!duplicate) {
        if (out.cpu_count < kMaxCpus) {
          out.apic_ids[out.cpu_count++] = apic_id;
        } else {
          out.cpus_truncated = true;
        }
      }
    }
    off += entry_len;
  }
}

void parse_fadt(PhysView view, const unsigned char* fadt, std::uint32_t len, AcpiInfo& out) {
  if (len < 72) return;
  out.pm1a_control = static_cast<std::uint16_t>(read<std::uint32_t>(fadt + 64));
  out.pm1b_control = static_cast<std::uint16_t>(read<std::uint32_t>(fadt + 68));
  std::uint64_t dsdt = read<std::uint32_t>(fadt + 40);
  if (len >= 148 && read<std::uint64_t>(fadt + 140) != 0) dsdt = read<std::uint64_t>(fadt + 140);
  std::uint32_t dsdt_len;
  const unsigned char* dsdt_table = map_table(view, Pa(dsdt), &dsdt_len);
  if (dsdt_table == nullptr) return;
  out.s5_found =
      find_s5(dsdt_table + kHeaderSize, dsdt_len - kHeaderSize, out.slp_typ_a, out.slp_typ_b);
}

// Reads one AML integer (ZeroOp, OneOp, BytePrefix or WordPrefix); advances `p`.
bool read_aml_integer(const unsigned char*& p, const unsigned char* end, std::uint16_t& v) {
  if (p >= end) return false;
  switch (*p) {
    case 0x00:
    case 0x01:
      v = *p++;
      return true;
    case 0x0a:
      if (end - p < 2) return false;
      v = p[1];
      p += 2;
      return true;
    case 0x0b:
      if (end - p < 3) return false;
      v = static_cast<std::uint16_t>(p[1] | (p[2] << 8));
      p += 3;
      return true;
    default:
      return false;
  }
}

}  // namespace

bool find_s5(const unsigned char* aml, std::size_t len, std::uint16_t& typ_a,
             std::uint16_t& typ_b) {
  const unsigned char* end = aml + len;
  for (const unsigned char* p = aml; p + 5 <= end; ++p) {
    // NameOp '_S5_' PackageOp, possibly with a root prefix '\' before the name.
    if (memcmp(p, "_S5_", 4) != 0 || p[4] != 0x12) continue;
    bool named = (p > aml && p[-1] == 0x08) || (p > aml + 1 && p[-1] == '\\' && p[-2] == 0x08);
    if (!named) continue;
    const unsigned char* q = p + 5;
    if (q >= end) return false;
    q += 1 + ((*q >> 6) & 0x3);  // PkgLength: lead byte plus 0-3 follow bytes
    q += 1;                      // NumElements
    if (q >= end) return false;
    return read_aml_integer(q, end, typ_a) && read_aml_integer(q, end, typ_b);
  }
  return false;
}

std::size_t find_rsdp(PhysView view, unsigned char (&out)[36]) {
  auto try_at = [&](std::uint64_t pa) -> std::size_t {
    const auto* p = static_cast<const unsigned char*>(view.read(view.ctx, Pa(pa), 20));
    if (p == nullptr || memcmp(p, "RSD PTR ", 8) != 0 || !checksum_ok(p, 20)) return 0;
    std::size_t n = 20;
    if (p[15] >= 2) {
      const auto* q = static_cast<const unsigned char*>(view.read(view.ctx, Pa(pa), 36));
      if (q != nullptr && checksum_ok(q, 36)) p = q, n = 36;
    }
    memcpy(out, p, n);
    return n;
  };
  auto scan = [&](std::uint64_t from, std::uint64_t to) -> std::size_t {
    for (std::uint64_t pa = from; pa + 20 <= to; pa += 16) {
      if (std::size_t n = try_at(pa)) return n;
    }
    return 0;
  };
  if (const void* p = view.read(view.ctx, Pa(0x40e), 2)) {
    std::uint16_t segment;
    memcpy(&segment, p, 2);
    std::uint64_t ebda = std::uint64_t{segment} << 4;
    if (ebda != 0) {
      if (std::size_t n = scan(ebda, ebda + 1024)) return n;
    }
  }
  return scan(0xe0000, 0x100000);
}

AcpiError parse_acpi(const unsigned char* rsdp, std::size_t rsdp_size, PhysView view,
                     AcpiInfo& out) {
  out = AcpiInfo{};
  out.lapic_base = Pa(0xfee00000);
  if (rsdp_size < 20 || memcmp(rsdp, "RSD PTR ", 8) != 0 || !checksum_ok(rsdp, 20)) {
    return AcpiError::kBadRsdp;
  }
  std::uint8_t revision = rsdp[15];
  bool use_xsdt = revision >= 2 && rsdp_size >= 36 && checksum_ok(rsdp, 36);
  Pa root = use_xsdt ? Pa(read<std::uint64_t>(rsdp + 24)) : Pa(read<std::uint32_t>(rsdp + 16));
  std::size_t entry_size = use_xsdt ? 8 : 4;

  std::uint32_t root_len;
  const unsigned char* root_table = map_table(view, root, &root_len);
  if (root_table == nullptr || memcmp(root_table, use_xsdt ? "XSDT" : "RSDT", 4) != 0) {
    return AcpiError::kBadRootTable;
  }
  bool madt_found = false;
  for (std::size_t off = kHeaderSize; off + entry_size <= root_len; off += entry_size) {
    Pa pa = Pa(entry_size == 8 ? read<std::uint64_t>(root_table + off)
                               : read<std::uint32_t>(root_table + off));
    std::uint32_t len;
    const unsigned char* table = map_table(view, pa, &len);
    if (table == nullptr) continue;
    if (memcmp(table, "APIC", 4) == 0 && !madt_found) {
      madt_found = true;
      parse_madt(table, len, out);
    } else if (memcmp(table, "FACP", 4) == 0) {
      parse_fadt(view, table, len, out);
    }
  }
  return madt_found ? AcpiError::kNone : AcpiError::kNoMadt;
}

}  // namespace abyss
