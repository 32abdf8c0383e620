#include <abyss/cmdline.hpp>

namespace abyss {
namespace {

// Calls `fn(word, length)` for each space-separated word.
template <class Fn>
void for_each_word(const char* s, Fn fn) {
  while (*s != '\0') {
    while (*s == ' ' || *s == '\t' || *s == '\n') ++s;
    const char* start = s;
    while (*s != '\0' && *s != ' ' && *s != '\t' && *s != '\n') ++s;
    if (s > start) fn(start, static_cast<std::size_t>(s - start));
  }
}

// If `word` is `key` or `key=...`, returns the length of the key part, else 0.
std::size_t key_matches(const char* word, std::size_t len, const char* key) {
  std::size_t i = 0;
  for (; key[i] != '\0'; ++i) {
    if (i >= len || word[i] != key[i]) return 0;
  }
  return (i == len || word[i] == '=') ? i : 0;
}

}  // namespace

bool cmdline_has(const char* cmdline, const char* key) {
  bool found = false;
  for_each_word(cmdline, [&](const char* w, std::size_t n) {
    if (key_matches(w, n, key) != 0) found = true;
  });
  return found;
}

bool cmdline_value(const char* cmdline, const char* key, char* buf, std::size_t cap) {
  bool found = false;
  for_each_word(cmdline, [&](const char* w, std::size_t n) {
    std::size_t k = key_matches(w, n, key);
    if (k == 0 || k == n) return;
    found = true;
    std::size_t v = 0;
    for (std::size_t i = k + 1; i < n && v + 1 < cap; ++i) buf[v++] = w[i];
    if (cap != 0) buf[v] = '\0';
  });
  return found;
}

}  // namespace abyss
