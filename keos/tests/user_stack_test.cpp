#include <keos/process/user_stack.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "catch.hpp"

using namespace keos;

namespace {

// Reads what the user would see at `va` through the kernel view of the top page.
std::uint64_t word_at(const std::vector<std::uint8_t>& page, std::uint64_t va) {
  std::uint64_t v;
  std::memcpy(&v, page.data() + (va - (kUserStackTop.value() - kPageSize)), 8);
  return v;
}
std::string string_at(const std::vector<std::uint8_t>& page, std::uint64_t va) {
  return reinterpret_cast<const char*>(page.data() + (va - (kUserStackTop.value() - kPageSize)));
}

}  // namespace

TEST_CASE("user stack: the exact layout for /bin/ls -l foo bar") {
  std::vector<std::uint8_t> page(kPageSize, 0xcc);
  const char* args[] = {"/bin/ls", "-l", "foo", "bar"};
  UserStack s = build_user_stack(page.data(), args, 4).take();
  CHECK(s.argc == 4);
  CHECK(s.argv.value() == 0x4747ffc0);
  CHECK(s.rsp.value() == 0x4747ffb8);
  CHECK(word_at(page, 0x4747ffb8) == 0);  // fake return address
  CHECK(word_at(page, 0x4747ffc0) == 0x4747ffed);
  CHECK(word_at(page, 0x4747ffc8) == 0x4747fff5);
  CHECK(word_at(page, 0x4747ffd0) == 0x4747fff8);
  CHECK(word_at(page, 0x4747ffd8) == 0x4747fffc);
  CHECK(word_at(page, 0x4747ffe0) == 0);  // argv[argc]
  CHECK(string_at(page, 0x4747ffed) == "/bin/ls");
  CHECK(string_at(page, 0x4747fff5) == "-l");
  CHECK(string_at(page, 0x4747fff8) == "foo");
  CHECK(string_at(page, 0x4747fffc) == "bar");
}

TEST_CASE("user stack: no arguments, and arguments that do not fit") {
  std::vector<std::uint8_t> page(kPageSize);
  UserStack s = build_user_stack(page.data(), nullptr, 0).take();
  CHECK(s.argc == 0);
  CHECK(s.argv.value() == 0x47480000 - 8);
  CHECK(s.rsp.value() == 0x47480000 - 16);
  CHECK(s.rsp.value() % 8 == 0);
  std::string big(5000, 'x');
  const char* huge[] = {big.c_str()};
  CHECK(build_user_stack(page.data(), huge, 1).error() == KernelError::kInvalidArgument);
  std::string half(2040, 'y');
  const char* two[] = {half.c_str(), half.c_str()};  // 4082 bytes of strings: no room left
  CHECK(build_user_stack(page.data(), two, 2).error() == KernelError::kInvalidArgument);
}
