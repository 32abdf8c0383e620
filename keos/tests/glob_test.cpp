// glob_match, which selects kernel tests by name (`test=cow*,fork?`): literal names, `*`
// for any run (also empty), `?` for exactly one character, whole-name matching, and a
// seeded comparison with a plain recursive matcher over many short patterns and names.
#include <keos/test.hpp>

#include <random>
#include <string>

#include "catch.hpp"

using keos::test::glob_match;

namespace {

// The definition, written the slow and obvious way.
bool reference(const char* p, const char* s) {
  if (*p == '\0') return *s == '\0';
  if (*p == '*') return reference(p + 1, s) || (*s != '\0' && reference(p, s + 1));
  if (*s == '\0') return false;
  return (*p == '?' || *p == *s) && reference(p + 1, s + 1);
}

std::string random_word(std::mt19937& rng, const char* alphabet, std::size_t max_len) {
  std::size_t len = rng() % (max_len + 1);
  std::size_t n = std::char_traits<char>::length(alphabet);
  std::string s;
  for (std::size_t i = 0; i < len; ++i) s += alphabet[rng() % n];
  return s;
}

}  // namespace

TEST_CASE("glob: literal patterns match the whole name only") {
  CHECK(glob_match("fork", "fork"));
  CHECK(!glob_match("fork", "fork2"));
  CHECK(!glob_match("fork2", "fork"));
  CHECK(!glob_match("fork", "Fork"));
  CHECK(!glob_match("ork", "fork"));
  CHECK(glob_match("", ""));
  CHECK(!glob_match("", "a"));
  CHECK(!glob_match("a", ""));
}

TEST_CASE("glob: star matches any run, including none") {
  CHECK(glob_match("*", ""));
  CHECK(glob_match("*", "anything_at_all"));
  CHECK(glob_match("cow*", "cow"));
  CHECK(glob_match("cow*", "cow_perm"));
  CHECK(!glob_match("cow*", "co"));
  CHECK(!glob_match("cow*", "fork_cow"));
  CHECK(glob_match("*cow", "fork_cow"));
  CHECK(glob_match("*_*", "mm_mmap"));
  CHECK(!glob_match("*_*", "mmap"));
  CHECK(glob_match("a*b*c", "abc"));
  CHECK(glob_match("a*b*c", "a_b_b_c"));
  CHECK(!glob_match("a*b*c", "a_c_b"));
  CHECK(glob_match("**", "x"));
  CHECK(glob_match("a**", "a"));
  // The star must give back characters it took: "ab" has to end the name.
  CHECK(glob_match("*ab", "aab"));
  CHECK(glob_match("*aab", "aaab"));
  CHECK(!glob_match("*ab", "aba"));
}

TEST_CASE("glob: question mark matches exactly one character") {
  CHECK(glob_match("fork?", "fork2"));
  CHECK(!glob_match("fork?", "fork"));
  CHECK(!glob_match("fork?", "fork22"));
  CHECK(glob_match("???", "abc"));
  CHECK(!glob_match("?", ""));
  CHECK(glob_match("*?", "a"));
  CHECK(!glob_match("*?", ""));
  CHECK(glob_match("?*?", "ab"));
  CHECK(!glob_match("?*?", "a"));
}

TEST_CASE("glob: agrees with the recursive definition on random input") {
  std::mt19937 rng(4242);
  for (int i = 0; i < 200000; ++i) {
    std::string pattern = random_word(rng, "ab*?", 7);
    std::string name = random_word(rng, "ab", 9);
    INFO("pattern \"" << pattern << "\" name \"" << name << "\"");
    REQUIRE(glob_match(pattern.c_str(), name.c_str()) == reference(pattern.c_str(), name.c_str()));
  }
}
