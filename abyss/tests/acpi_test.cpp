// parse_acpi over tables built by the test and reached through a fake PhysView: RSDP v1 and
// v2 (RSDT or XSDT), the MADT's CPU list (local APIC and x2APIC entries, disabled and
// duplicate CPUs, the address override, too many CPUs), FADT power-off ports and the \_S5
// values from the DSDT; and refusal of bad checksums, signatures, lengths and entries.
#include <abyss/acpi.hpp>

#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "catch.hpp"
#include "fake_phys.hpp"

using abyss::AcpiError;
using abyss::AcpiInfo;
using abyss::Pa;
using abyss::PhysView;
using Bytes = std::vector<std::uint8_t>;

namespace {

void put32(Bytes& b, std::size_t at, std::uint32_t v) { std::memcpy(&b[at], &v, 4); }
void put64(Bytes& b, std::size_t at, std::uint64_t v) { std::memcpy(&b[at], &v, 8); }

// Sets the byte at `at` so that the first `len` bytes sum to zero.
void fix_checksum(Bytes& b, std::size_t at, std::size_t len) {
  b[at] = 0;
  std::uint8_t sum = 0;
  for (std::size_t i = 0; i < len; ++i) sum = static_cast<std::uint8_t>(sum + b[i]);
  b[at] = static_cast<std::uint8_t>(-sum);
}

// A system description table: the 36-byte header (signature, length, checksum) and `body`.
Bytes sdt(const char* signature, const Bytes& body) {
  Bytes t(36, 0);
  std::memcpy(t.data(), signature, 4);
  std::memcpy(&t[10], "KEOSTS", 6);
  t.insert(t.end(), body.begin(), body.end());
  put32(t, 4, static_cast<std::uint32_t>(t.size()));
  fix_checksum(t, 9, t.size());
  return t;
}

Bytes rsdp_v1(std::uint32_t rsdt) {
  Bytes r(20, 0);
  std::memcpy(r.data(), "RSD PTR ", 8);
  put32(r, 16, rsdt);
  fix_checksum(r, 8, 20);
  return r;
}

Bytes rsdp_v2(std::uint32_t rsdt, std::uint64_t xsdt) {
  Bytes r(36, 0);
  std::memcpy(r.data(), "RSD PTR ", 8);
  r[15] = 2;
  put32(r, 16, rsdt);
  put32(r, 20, 36);
  put64(r, 24, xsdt);
  fix_checksum(r, 8, 20);
  fix_checksum(r, 32, 36);
  return r;
}

Bytes rsdt(const std::vector<std::uint32_t>& tables) {
  Bytes body(4 * tables.size());
  for (std::size_t i = 0; i < tables.size(); ++i) put32(body, 4 * i, tables[i]);
  return sdt("RSDT", body);
}

Bytes xsdt(const std::vector<std::uint64_t>& tables) {
  Bytes body(8 * tables.size());
  for (std::size_t i = 0; i < tables.size(); ++i) put64(body, 8 * i, tables[i]);
  return sdt("XSDT", body);
}

// MADT entries.
Bytes lapic(std::uint8_t apic_id, std::uint32_t flags) {
  Bytes e = {0, 8, 0, apic_id, 0, 0, 0, 0};
  put32(e, 4, flags);
  return e;
}
Bytes x2apic(std::uint32_t id, std::uint32_t flags) {
  Bytes e(16, 0);
  e[0] = 9;
  e[1] = 16;
  put32(e, 4, id);
  put32(e, 8, flags);
  return e;
}
Bytes lapic_override(std::uint64_t address) {
  Bytes e(12, 0);
  e[0] = 5;
  e[1] = 12;
  put64(e, 4, address);
  return e;
}

Bytes madt(const std::vector<Bytes>& entries, std::uint32_t lapic_base = 0xfee00000) {
  Bytes body(8, 0);
  put32(body, 0, lapic_base);
  put32(body, 4, 1);  // PC-AT compatible
  for (const Bytes& e : entries) body.insert(body.end(), e.begin(), e.end());
  return sdt("APIC", body);
}

// A FADT of the ACPI 2+ size (244 bytes) with the DSDT at `dsdt` (32-bit field) and at
// `x_dsdt` (64-bit field, 0 for none).
Bytes fadt(std::uint32_t dsdt, std::uint64_t x_dsdt, std::uint32_t pm1a, std::uint32_t pm1b) {
  Bytes body(244 - 36, 0);
  put32(body, 40 - 36, dsdt);
  put32(body, 64 - 36, pm1a);
  put32(body, 68 - 36, pm1b);
  put64(body, 140 - 36, x_dsdt);
  return sdt("FACP", body);
}

// AML declaring Name(\_S5, Package() {a, b, 0, 0}) with byte-prefixed integers.
Bytes s5_aml(std::uint8_t a, std::uint8_t b, bool root_prefix) {
  Bytes aml = {0x10, 0x05, 0x5c, 0x00, 0xa3};  // some other bytecode first
  aml.push_back(0x08);
  if (root_prefix) aml.push_back('\\');
  for (char c : std::string("_S5_")) aml.push_back(static_cast<std::uint8_t>(c));
  Bytes package = {0x12, 0x0a, 0x04, 0x0a, a, 0x0a, b, 0x00, 0x00};
  aml.insert(aml.end(), package.begin(), package.end());
  return aml;
}

struct Parsed {
  AcpiError error;
  AcpiInfo info;
};

Parsed parse(const Bytes& rsdp, FakePhys& phys) {
  Parsed r{};
  r.error = abyss::parse_acpi(rsdp.data(), rsdp.size(), phys.view(), r.info);
  return r;
}

std::vector<std::uint32_t> cpus(const AcpiInfo& info) {
  return std::vector<std::uint32_t>(info.apic_ids, info.apic_ids + info.cpu_count);
}

}  // namespace

TEST_CASE("acpi: RSDT and MADT give the enabled CPUs in order") {
  FakePhys phys;
  phys.place(0x1000, rsdt({0x2000}));
  phys.place(0x2000, madt({lapic(0, 1), lapic(1, 1), lapic(2, 0) /* disabled */,
                           lapic(5, 2) /* online capable */, lapic(1, 1) /* duplicate */},
                          0xfee00000));
  Parsed r = parse(rsdp_v1(0x1000), phys);
  REQUIRE(r.error == AcpiError::kNone);
  CHECK(cpus(r.info) == std::vector<std::uint32_t>{0, 1, 5});
  CHECK(!r.info.cpus_truncated);
  CHECK(r.info.lapic_base == Pa(0xfee00000));
  CHECK(!r.info.s5_found);
}

TEST_CASE("acpi: x2APIC entries count and the address override moves the LAPIC") {
  FakePhys phys;
  phys.place(0x1000, rsdt({0x2000}));
  phys.place(0x2000, madt({lapic(0, 1), x2apic(300, 1), x2apic(301, 0), lapic_override(0x1fee00000),
                           Bytes{1, 12, 0, 0, 0, 0, 0xc0, 0xfe, 0, 0, 0, 0} /* an I/O APIC */},
                          0xfed00000));
  Parsed r = parse(rsdp_v1(0x1000), phys);
  REQUIRE(r.error == AcpiError::kNone);
  CHECK(cpus(r.info) == std::vector<std::uint32_t>{0, 300});
  CHECK(r.info.lapic_base == Pa(0x1fee00000));
}

TEST_CASE("acpi: a version 2 RSDP uses the XSDT, or the RSDT if its checksum fails") {
  FakePhys phys;
  phys.place(0x1000, rsdt({0x2000}));
  phys.place(0x2000, madt({lapic(7, 1)}));
  phys.place(0x100003000, xsdt({0x100004000}));  // above 4 GiB: needs the 64-bit fields
  phys.place(0x100004000, madt({lapic(1, 1), lapic(2, 1)}));

  Parsed r = parse(rsdp_v2(0x1000, 0x100003000), phys);
  REQUIRE(r.error == AcpiError::kNone);
  CHECK(cpus(r.info) == std::vector<std::uint32_t>{1, 2});

  Bytes broken = rsdp_v2(0x1000, 0x100003000);
  broken[33] ^= 1;  // only the extended checksum is now wrong
  r = parse(broken, phys);
  REQUIRE(r.error == AcpiError::kNone);
  CHECK(cpus(r.info) == std::vector<std::uint32_t>{7});

  Bytes short_copy = rsdp_v2(0x1000, 0x100003000);
  short_copy.resize(20);  // GRUB's old-RSDP tag: version 2, but no extended part
  r = parse(short_copy, phys);
  CHECK(cpus(r.info) == std::vector<std::uint32_t>{7});
}

TEST_CASE("acpi: a bad RSDP is refused") {
  FakePhys phys;
  phys.place(0x1000, rsdt({0x2000}));
  phys.place(0x2000, madt({lapic(0, 1)}));
  Bytes good = rsdp_v1(0x1000);
  REQUIRE(parse(good, phys).error == AcpiError::kNone);

  Bytes bad_sum = good;
  bad_sum[16] ^= 0x10;
  CHECK(parse(bad_sum, phys).error == AcpiError::kBadRsdp);
  Bytes bad_signature = good;
  bad_signature[7] = '_';
  fix_checksum(bad_signature, 8, 20);
  CHECK(parse(bad_signature, phys).error == AcpiError::kBadRsdp);
  Bytes short_rsdp(good.begin(), good.begin() + 19);
  CHECK(parse(short_rsdp, phys).error == AcpiError::kBadRsdp);
}

TEST_CASE("acpi: a bad root table is refused") {
  FakePhys phys;
  phys.place(0x2000, madt({lapic(0, 1)}));
  Bytes root = rsdt({0x2000});
  root[36] ^= 1;  // an entry changed after the checksum was made
  phys.place(0x1000, root);
  CHECK(parse(rsdp_v1(0x1000), phys).error == AcpiError::kBadRootTable);

  CHECK(parse(rsdp_v1(0x9000), phys).error == AcpiError::kBadRootTable);  // nothing there

  phys.place(0x3000, xsdt({0x2000}));  // an XSDT where an RSDT belongs
  CHECK(parse(rsdp_v1(0x3000), phys).error == AcpiError::kBadRootTable);
  phys.place(0x4000, rsdt({0x2000}));  // and the reverse
  CHECK(parse(rsdp_v2(0, 0x4000), phys).error == AcpiError::kBadRootTable);

  Bytes runs_past = rsdt({0x2000});
  put32(runs_past, 4, 200);  // longer than the memory that holds it
  fix_checksum(runs_past, 9, runs_past.size());
  phys.place(0x5000, runs_past);
  CHECK(parse(rsdp_v1(0x5000), phys).error == AcpiError::kBadRootTable);

  Bytes too_short = rsdt({});
  put32(too_short, 4, 20);  // shorter than its own header
  fix_checksum(too_short, 9, 20);
  phys.place(0x6000, too_short);
  CHECK(parse(rsdp_v1(0x6000), phys).error == AcpiError::kBadRootTable);
}

TEST_CASE("acpi: a MADT with a bad checksum is ignored; without one there is no MADT") {
  FakePhys phys;
  Bytes bad = madt({lapic(0, 1), lapic(1, 1)});
  bad.back() ^= 0xff;
  phys.place(0x2000, bad);
  phys.place(0x1000, rsdt({0x2000, 0x7000 /* nothing there */}));
  Parsed r = parse(rsdp_v1(0x1000), phys);
  CHECK(r.error == AcpiError::kNoMadt);
  CHECK(r.info.cpu_count == 0);

  phys.place(0x3000, madt({lapic(4, 1)}));
  phys.place(0x4000, madt({lapic(9, 1)}));
  phys.place(0x1000, rsdt({0x2000, 0x3000, 0x4000}));
  r = parse(rsdp_v1(0x1000), phys);
  REQUIRE(r.error == AcpiError::kNone);
  CHECK(cpus(r.info) == std::vector<std::uint32_t>{4});  // the first good MADT only
}

TEST_CASE("acpi: MADT entries with bad lengths end the list") {
  FakePhys phys;
  phys.place(0x1000, rsdt({0x2000, 0x3000}));
  phys.place(0x2000, madt({lapic(0, 1), Bytes{0, 0}, lapic(1, 1)}));  // length 0
  Bytes past = lapic(2, 1);
  past[1] = 40;  // runs past the table
  phys.place(0x3000, madt({}));
  Parsed r = parse(rsdp_v1(0x1000), phys);
  CHECK(cpus(r.info) == std::vector<std::uint32_t>{0});

  phys.place(0x2000, madt({lapic(3, 1), past}));
  r = parse(rsdp_v1(0x1000), phys);
  CHECK(cpus(r.info) == std::vector<std::uint32_t>{3});

  Bytes stub = lapic(4, 1);  // a type-0 entry too short to hold the flags is no CPU
  stub[1] = 4;
  stub.resize(4);
  phys.place(0x2000, madt({stub, lapic(5, 1)}));
  r = parse(rsdp_v1(0x1000), phys);
  CHECK(cpus(r.info) == std::vector<std::uint32_t>{5});
}

TEST_CASE("acpi: more CPUs than the kernel supports are cut and flagged") {
  std::vector<Bytes> entries;
  for (std::uint32_t i = 0; i < abyss::kMaxCpus + 3; ++i) entries.push_back(x2apic(1000 + i, 1));
  FakePhys phys;
  phys.place(0x1000, rsdt({0x2000}));
  phys.place(0x2000, madt(entries));
  Parsed r = parse(rsdp_v1(0x1000), phys);
  REQUIRE(r.error == AcpiError::kNone);
  CHECK(r.info.cpu_count == abyss::kMaxCpus);
  CHECK(r.info.cpus_truncated);
  CHECK(r.info.apic_ids[abyss::kMaxCpus - 1] == 1000 + abyss::kMaxCpus - 1);
}

TEST_CASE("acpi: the FADT gives the PM1 ports and the DSDT the S5 sleep type") {
  FakePhys phys;
  phys.place(0x1000, rsdt({0x2000, 0x3000}));
  phys.place(0x2000, madt({lapic(0, 1)}));
  phys.place(0x3000, fadt(0x4000, 0, 0x604, 0));
  phys.place(0x4000, sdt("DSDT", s5_aml(5, 6, true)));
  Parsed r = parse(rsdp_v1(0x1000), phys);
  REQUIRE(r.error == AcpiError::kNone);
  CHECK(r.info.pm1a_control == 0x604);
  CHECK(r.info.pm1b_control == 0);
  CHECK(r.info.s5_found);
  CHECK(r.info.slp_typ_a == 5);
  CHECK(r.info.slp_typ_b == 6);

  // The 64-bit X_DSDT field wins when set; a DSDT with a bad checksum gives no S5.
  phys.place(0x3000, fadt(0x4000, 0x5000, 0xb004, 0xb008));
  Bytes bad_dsdt = sdt("DSDT", s5_aml(1, 2, false));
  bad_dsdt[40] ^= 1;
  phys.place(0x5000, bad_dsdt);
  r = parse(rsdp_v1(0x1000), phys);
  CHECK(r.info.pm1b_control == 0xb008);
  CHECK(!r.info.s5_found);
  phys.place(0x5000, sdt("DSDT", s5_aml(1, 2, false)));
  r = parse(rsdp_v1(0x1000), phys);
  CHECK(r.info.s5_found);
  CHECK(r.info.slp_typ_a == 1);
  CHECK(r.info.slp_typ_b == 2);
}

TEST_CASE("acpi: find_s5 reads the package's integer encodings and nothing past the end") {
  std::uint16_t a = 99, b = 99;
  Bytes zero_one = {0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x01};
  CHECK(abyss::find_s5(zero_one.data(), zero_one.size(), a, b));
  CHECK(a == 0);
  CHECK(b == 1);
  Bytes word = {0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x02, 0x0b, 0x34, 0x12, 0x0a, 0x07};
  CHECK(abyss::find_s5(word.data(), word.size(), a, b));
  CHECK(a == 0x1234);
  CHECK(b == 7);

  Bytes unnamed = {0x00, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x01};  // no NameOp
  CHECK(!abyss::find_s5(unnamed.data(), unnamed.size(), a, b));
  Bytes no_package = {0x08, '_', 'S', '5', '_', 0x0a, 0x05};
  CHECK(!abyss::find_s5(no_package.data(), no_package.size(), a, b));
  Bytes method = {0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x14, 0x01};  // not an integer
  CHECK(!abyss::find_s5(method.data(), method.size(), a, b));
  // Every truncation of a good declaration fails cleanly (ASan watches the reads).
  for (std::size_t n = 0; n < word.size(); ++n) {
    std::unique_ptr<std::uint8_t[]> cut(new std::uint8_t[n == 0 ? 1 : n]);
    std::memcpy(cut.get(), word.data(), n);
    CHECK(!abyss::find_s5(cut.get(), n, a, b));
  }
}
