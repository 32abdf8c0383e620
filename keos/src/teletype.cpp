#include <keos/teletype.hpp>

#include <new>

#include <abyss/console.hpp>
#include <abyss/spinlock.hpp>
#include <abyss/string.hpp>

namespace keos {
namespace {

// Held while one write's bytes go out as `@@ out` lines, so that the lines of two
// processes writing at once (each write() at most a few chunks) never interleave.
abyss::SpinLock g_echo_lock;

// Makes room for `needed` bytes in a capture buffer, doubling it; false if out of memory.
bool grow(char*& data, std::size_t size, std::size_t& capacity, std::size_t needed) {
  if (needed <= capacity) return true;
  std::size_t next = capacity == 0 ? 256 : capacity;
  while (next < needed) next *= 2;
  auto* bigger = new (std::nothrow) char[next];
  if (bigger == nullptr) return false;
  if (data != nullptr) memcpy(bigger, data, size);
  delete[] data;
  data = bigger;
  capacity = next;
  return true;
}

// Appends `src` to a capture, growing its buffer as needed, up to the limit.
void append(char*& data, std::size_t& size, std::size_t& capacity, bool& truncated,
            const char* src, std::size_t len) {
  std::size_t room = Teletype::kCaptureLimit - size;
  if (len > room) {
    truncated = true;
    len = room;
  }
  if (!grow(data, size, capacity, size + len)) {
    truncated = true;
    return;
  }
  memcpy(data + size, src, len);
  size += len;
}

}  // namespace

Teletype* Teletype::create(const char* input, std::size_t input_len, Echo echo) {
  auto* tty = new (std::nothrow) Teletype(echo);
  if (tty == nullptr) return nullptr;
  if (input_len != 0) {
    auto state = tty->state_.lock();
    state->input = new (std::nothrow) char[input_len];
    if (state->input == nullptr) {
      delete tty;
      return nullptr;
    }
    memcpy(state->input, input, input_len);
    state->input_len = input_len;
  }
  return tty;
}

Teletype::~Teletype() {
  auto state = state_.lock();
  delete[] state->input;
  for (Capture& c : state->out) delete[] c.data;
}

void Teletype::unref() {
  if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
}

std::size_t Teletype::read(void* dst, std::size_t len) {
  auto state = state_.lock();
  std::size_t left = state->input_len - state->input_pos;
  std::size_t n = len < left ? len : left;
  memcpy(dst, state->input + state->input_pos, n);
  state->input_pos += n;
  return n;
}

std::size_t Teletype::write(Stream stream, const void* src, std::size_t len) {
  {
    auto state = state_.lock();
    Capture& c = state->out[static_cast<int>(stream) - 1];
    append(c.data, c.size, c.capacity, c.truncated, static_cast<const char*>(src), len);
  }
  if (echo_ == Echo::kYes) echo_lines(stream, static_cast<const char*>(src), len);
  return len;
}

const char* Teletype::captured(Stream stream) {
  return state_.lock()->out[static_cast<int>(stream) - 1].data;
}
std::size_t Teletype::captured_size(Stream stream) {
  return state_.lock()->out[static_cast<int>(stream) - 1].size;
}
bool Teletype::truncated(Stream stream) {
  return state_.lock()->out[static_cast<int>(stream) - 1].truncated;
}

bool Teletype::reserve_output(std::size_t bytes) {
  auto state = state_.lock();
  for (Capture& c : state->out) {
    if (!grow(c.data, c.size, c.capacity, bytes)) return false;
  }
  return true;
}

void Teletype::discard_output() {
  auto state = state_.lock();
  for (Capture& c : state->out) {
    delete[] c.data;
    c = Capture{};
  }
}

void Teletype::echo_lines(Stream stream, const char* data, std::size_t len) {
  constexpr std::size_t kChunk = 96;  // input bytes per line (escaped: at most 4x)
  char line[16 + 4 * kChunk + 1];
  abyss::SpinLockGuard guard(g_echo_lock);
  for (std::size_t start = 0; start < len; start += kChunk) {
    std::size_t end = start + kChunk < len ? start + kChunk : len;
    std::size_t n = 0;
    for (std::size_t i = start; i < end; ++i) {
      auto c = static_cast<unsigned char>(data[i]);
      if (c == '\\') {
        line[n++] = '\\';
        line[n++] = '\\';
      } else if (c == '\n') {
        line[n++] = '\\';
        line[n++] = 'n';
      } else if (c == '\t') {
        line[n++] = '\\';
        line[n++] = 't';
      } else if (c >= 0x20 && c < 0x7f) {
        line[n++] = static_cast<char>(c);
      } else {
        const char* hex = "0123456789abcdef";
        line[n++] = '\\';
        line[n++] = 'x';
        line[n++] = hex[c >> 4];
        line[n++] = hex[c & 15];
      }
    }
    line[n] = '\0';
    abyss::console::line("@@ out %d %s", static_cast<int>(stream), line);
  }
}

}  // namespace keos
