// The kernel command line (abyss/cmdline.hpp): words split on spaces, tabs and newlines;
// `key` and `key=value` found only as whole keys (`test` is not `test.list`); the last
// value wins; values cut to the buffer, always NUL-terminated, and the buffer untouched
// when the key has no value.
#include <abyss/cmdline.hpp>

#include <cstring>
#include <string>

#include "catch.hpp"

using abyss::cmdline_has;
using abyss::cmdline_value;

namespace {

// The value of `key`, or "<none>".
std::string value(const char* cmdline, const char* key, std::size_t cap = 64) {
  char buf[64];
  std::memset(buf, '#', sizeof buf);
  if (!cmdline_value(cmdline, key, buf, cap)) return "<none>";
  return buf;
}

}  // namespace

TEST_CASE("cmdline: a key is found alone or with a value, and only whole") {
  const char* line = "quiet loglevel=3 test=cow*,fork test.list";
  CHECK(cmdline_has(line, "quiet"));
  CHECK(cmdline_has(line, "loglevel"));
  CHECK(cmdline_has(line, "test"));
  CHECK(cmdline_has(line, "test.list"));
  CHECK(!cmdline_has(line, "qui"));      // a prefix of a key
  CHECK(!cmdline_has(line, "quieter"));  // longer than the key
  CHECK(!cmdline_has(line, "level"));    // a suffix
  CHECK(!cmdline_has(line, "cow*"));     // part of a value
  CHECK(!cmdline_has("test.list", "test"));
  CHECK(!cmdline_has("", "quiet"));
  CHECK(!cmdline_has("quiet", ""));
}

TEST_CASE("cmdline: words are separated by runs of spaces, tabs and newlines") {
  const char* line = "  \tncpu=4\n\nquiet\t  mem=512M  ";
  CHECK(value(line, "ncpu") == "4");
  CHECK(value(line, "mem") == "512M");
  CHECK(cmdline_has(line, "quiet"));
  CHECK(!cmdline_has(line, "ncpu=4\n"));
  CHECK(!cmdline_has("   ", "quiet"));
}

TEST_CASE("cmdline: values are everything after the first '='; the last one wins") {
  CHECK(value("test=a test=b", "test") == "b");
  CHECK(value("test=a quiet", "test") == "a");
  CHECK(value("opt=x=y", "opt") == "x=y");
  CHECK(value("opt=", "opt").empty());      // present, empty
  CHECK(value("opt", "opt") == "<none>");   // present, but no value
  CHECK(value("opt=1 opt", "opt") == "1");  // a bare word does not clear it
  CHECK(value("other=1", "opt") == "<none>");
  CHECK(value("option=1", "opt") == "<none>");
  CHECK(value("test.list", "test") == "<none>");
}

TEST_CASE("cmdline: a value is cut to the buffer and always terminated") {
  CHECK(value("k=abcdef", "k", 4) == "abc");
  CHECK(value("k=abc", "k", 4) == "abc");
  CHECK(value("k=abcdef", "k", 1).empty());
  CHECK(value("k=long k=xy", "k", 4) == "xy");  // the last value, not the longest

  char buf[4] = {'#', '#', '#', '#'};
  CHECK(cmdline_value("k=abc", "k", buf, 0));  // no room: found, nothing written
  CHECK(buf[0] == '#');
  CHECK(!cmdline_value("k", "k", buf, sizeof buf));
  CHECK(buf[0] == '#');  // untouched when there is no value
}
