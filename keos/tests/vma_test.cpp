#include <keos/process/vma.hpp>

#include "catch.hpp"
#include "counting_loader.hpp"

using namespace keos;

namespace {

constexpr Permission kRw = Permission::kRead | Permission::kWrite | Permission::kUser;
constexpr Permission kRo = Permission::kRead | Permission::kUser;

using keos::host::counting_loader;
using keos::host::CountingLoader;

Va page(std::uint64_t n) { return Va(n * kPageSize); }

}  // namespace

TEST_CASE("vma set: insert keeps order, refuses overlaps, accepts neighbours") {
  {
    VmaSet set;
    REQUIRE(set.insert(page(10), page(20), kRw, counting_loader()).is_ok());
    REQUIRE(set.insert(page(30), page(31), kRo, counting_loader()).is_ok());
    REQUIRE(set.insert(page(20), page(30), kRo, counting_loader()).is_ok());  // adjacent both
    CHECK(set.insert(page(5), page(11), kRw, counting_loader()).error() == KernelError::kExists);
    CHECK(set.insert(page(29), page(40), kRw, counting_loader()).error() == KernelError::kExists);
    CHECK(set.insert(page(12), page(13), kRw, counting_loader()).error() == KernelError::kExists);
    CHECK(set.insert(page(0), page(100), kRw, counting_loader()).error() == KernelError::kExists);
    REQUIRE(set.size() == 3);
    CHECK(set[0].start == page(10));
    CHECK(set[1].start == page(20));
    CHECK(set[2].start == page(30));
    CHECK(CountingLoader::alive == 3);  // refused loaders were deleted
  }
  CHECK(CountingLoader::alive == 0);  // the set deletes its loaders
}

TEST_CASE("vma set: find, remove only at the exact start, once") {
  VmaSet set;
  REQUIRE(set.insert(page(10), page(20), kRw, counting_loader()).is_ok());
  REQUIRE(set.insert(page(40), page(41), kRo, counting_loader()).is_ok());
  CHECK(set.find(page(9)) == nullptr);
  CHECK(set.find(page(10))->end == page(20));
  CHECK(set.find(page(20) - 1)->start == page(10));
  CHECK(set.find(page(20)) == nullptr);
  CHECK(set.find(page(40) + 5)->permission == kRo);
  CHECK(set.remove(page(11)).error() == KernelError::kInvalidArgument);
  Result<VmAreaStruct> removed = set.remove(page(10));
  REQUIRE(removed.is_ok());
  CHECK(set.remove(page(10)).error() == KernelError::kInvalidArgument);
  CHECK(set.find(page(15)) == nullptr);
  CHECK(set.size() == 1);
}

TEST_CASE("vma set: find's remembered area never answers for another address") {
  VmaSet set;
  REQUIRE(set.insert(page(10), page(20), kRw, counting_loader()).is_ok());
  REQUIRE(set.insert(page(40), page(41), kRo, counting_loader()).is_ok());
  CHECK(set.find(page(40))->start == page(40));  // remembered: index 1
  CHECK(set.find(page(15))->start == page(10));  // another area: searched
  CHECK(set.find(page(30)) == nullptr);          // between the two
  CHECK(set.find(page(40))->start == page(40));
  Result<VmAreaStruct> removed = set.remove(page(10));  // the area at 1 moves to 0
  REQUIRE(removed.is_ok());
  CHECK(set.find(page(40))->start == page(40));
  CHECK(set.find(page(15)) == nullptr);
  REQUIRE(set.insert(page(50), page(60), kRw, counting_loader()).is_ok());  // now at 1
  CHECK(set.find(page(55))->start == page(50));
  CHECK(set.find(page(40))->start == page(40));
  Result<VmAreaStruct> again = set.remove(page(40));  // the remembered area itself goes
  REQUIRE(again.is_ok());
  CHECK(set.find(page(40)) == nullptr);
  CHECK(set.find(page(59))->start == page(50));
}

TEST_CASE("vma set: covers spans adjacent areas and checks rights") {
  VmaSet set;
  REQUIRE(set.insert(page(1), page(3), kRw, counting_loader()).is_ok());
  REQUIRE(set.insert(page(3), page(5), kRo, counting_loader()).is_ok());
  REQUIRE(set.insert(page(6), page(7), kRw, counting_loader()).is_ok());
  CHECK(set.covers(page(1), 4 * kPageSize, Permission::kRead));
  CHECK(!set.covers(page(1), 4 * kPageSize, Permission::kRead | Permission::kWrite));
  CHECK(set.covers(page(1) + 100, kPageSize, Permission::kRead | Permission::kWrite));
  CHECK(!set.covers(page(4), 2 * kPageSize + 1, Permission::kRead));  // the hole at page 5
  CHECK(set.covers(page(2), 0, Permission::kRead));                   // length 0: the address
  CHECK(!set.covers(page(5), 0, Permission::kRead));
  CHECK(!set.covers(Va(~0ull - 10), 100, Permission::kRead));  // wraps around
}

TEST_CASE("vma set: many areas grow the array") {
  VmaSet set;
  for (std::uint64_t i = 0; i < 100; ++i) {
    REQUIRE(set.insert(page(200 - 2 * i), page(201 - 2 * i), kRo, counting_loader()).is_ok());
  }
  CHECK(set.size() == 100);
  for (std::size_t i = 1; i < set.size(); ++i) CHECK(set[i - 1].end <= set[i].start);
}
