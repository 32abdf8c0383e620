#include <abyss/format.hpp>

#include <cstdlib>
#include <string>

#include "catch.hpp"

namespace {

std::string fmt(const char* f, auto... args) {
  char buf[128];
  abyss::format(buf, sizeof buf, f, args...);
  return buf;
}

}  // namespace

TEST_CASE("format: integers in every base and width") {
  CHECK(fmt("%d %i %u", -42, 7, 3000000000u) == "-42 7 3000000000");
  CHECK(fmt("%x %X", 0xbeefu, 0xbeefu) == "beef BEEF");
  CHECK(fmt("%lu %ld %llx", 18446744073709551615ul, -9223372036854775807l - 1, 0x1234ull) ==
        "18446744073709551615 -9223372036854775808 1234");
  CHECK(fmt("%016lx", 0xdead0000ul) == "00000000dead0000");
  CHECK(fmt("[%5d|%-5d|%05d]", 42, 42, -42) == "[   42|42   |-0042]");
  CHECK(fmt("%zu", sizeof(int)) == "4");
  CHECK(fmt("%hhu %hd", 257, 65537) == "1 1");
}

TEST_CASE("format: strings, characters, pointers") {
  CHECK(fmt("%s|%-6s|%6s", "abc", "ab", "ab") == "abc|ab    |    ab");
  const char* unset = std::getenv("KEOS_UNIT_SURELY_UNSET");  // a null the compiler cannot see
  CHECK(fmt("%s", unset) == "(null)");
  CHECK(fmt("%c%c", 'o', 'k') == "ok");
  CHECK(fmt("%p", reinterpret_cast<void*>(0x1000)) == "0x1000");
  CHECK(fmt("100%%") == "100%");
  CHECK(fmt("%*d", 4, 7) == "   7");
}

TEST_CASE("format: truncates to the buffer and always terminates") {
  char buf[6];
  std::size_t n = abyss::format(buf, sizeof buf, "%s", "hello world");
  CHECK(n == 5);
  CHECK(std::string(buf) == "hello");
  char one[1] = {'x'};
  CHECK(abyss::format(one, 1, "abc") == 0);
  CHECK(one[0] == '\0');
}
