// Physical memory for host tests of code that reads it through a PhysView (the ACPI
// parser, the Multiboot 1 parser, the RSDP search): only the byte ranges placed in it,
// each in an allocation of its exact size (ASan catches a read past one), and nothing
// readable elsewhere.
#pragma once

#include <abyss/acpi.hpp>

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <vector>

class FakePhys {
 public:
  void place(std::uint64_t pa, const std::vector<std::uint8_t>& bytes) {
    Region r{std::make_unique<std::uint8_t[]>(bytes.size()), bytes.size()};
    std::memcpy(r.data.get(), bytes.data(), bytes.size());
    regions_[pa] = std::move(r);
  }
  abyss::PhysView view() { return abyss::PhysView{&FakePhys::read, this}; }

 private:
  struct Region {
    std::unique_ptr<std::uint8_t[]> data;
    std::size_t size;
  };
  static const void* read(void* ctx, abyss::Pa pa, std::size_t len) {
    auto* self = static_cast<FakePhys*>(ctx);
    auto it = self->regions_.upper_bound(pa.value());
    if (it == self->regions_.begin()) return nullptr;
    --it;
    std::uint64_t offset = pa.value() - it->first;
    if (offset > it->second.size || len > it->second.size - offset) return nullptr;
    return it->second.data.get() + offset;
  }
  std::map<std::uint64_t, Region> regions_;
};
