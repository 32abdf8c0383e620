// RingBuffer<N>, the pipe's storage: FIFO order, partial writes when full, partial reads,
// wrap-around at the end of the array, and a seeded random run of writes and reads checked
// byte for byte against a std::deque.
#include <keos/ring_buffer.hpp>

#include <algorithm>
#include <deque>
#include <random>
#include <vector>

#include "catch.hpp"

using keos::RingBuffer;

namespace {

std::vector<std::uint8_t> bytes(std::size_t n, std::uint8_t first) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(first + i);
  return v;
}

template <std::size_t N>
std::vector<std::uint8_t> read_n(RingBuffer<N>& rb, std::size_t n) {
  std::vector<std::uint8_t> out(n + 1, 0xee);  // one spare byte must stay untouched
  std::size_t got = rb.read(out.data(), n);
  REQUIRE(out[got] == 0xee);
  out.resize(got);
  return out;
}

}  // namespace

TEST_CASE("ring buffer: starts empty; bytes come out in the order they went in") {
  RingBuffer<16> rb;
  CHECK(rb.capacity() == 16);
  CHECK(rb.empty());
  CHECK(!rb.full());
  CHECK(rb.space() == 16);
  CHECK(read_n(rb, 4).empty());

  auto a = bytes(5, 10);
  auto b = bytes(3, 50);
  CHECK(rb.write(a.data(), a.size()) == 5);
  CHECK(rb.write(b.data(), b.size()) == 3);
  CHECK(rb.size() == 8);
  CHECK(rb.space() == 8);
  CHECK(read_n(rb, 6) == std::vector<std::uint8_t>{10, 11, 12, 13, 14, 50});
  CHECK(read_n(rb, 10) == std::vector<std::uint8_t>{51, 52});  // partial read: what there is
  CHECK(rb.empty());
}

TEST_CASE("ring buffer: a write into a full or nearly full buffer is partial") {
  RingBuffer<8> rb;
  auto data = bytes(20, 0);
  CHECK(rb.write(data.data(), 6) == 6);
  CHECK(rb.write(data.data() + 6, 14) == 2);  // only the space left
  CHECK(rb.full());
  CHECK(rb.space() == 0);
  CHECK(rb.write(data.data() + 8, 12) == 0);
  CHECK(rb.write(data.data(), 0) == 0);
  CHECK(read_n(rb, 8) == bytes(8, 0));  // nothing past the capacity got in
  CHECK(rb.empty());
}

TEST_CASE("ring buffer: data wraps around the end of the array intact") {
  RingBuffer<8> rb;
  auto first = bytes(6, 1);
  REQUIRE(rb.write(first.data(), 6) == 6);
  REQUIRE(read_n(rb, 5) == bytes(5, 1));  // the oldest byte is now at index 5
  auto second = bytes(7, 100);
  CHECK(rb.write(second.data(), 7) == 7);  // 2 bytes to the end, 5 wrap to the start
  CHECK(rb.full());
  CHECK(read_n(rb, 3) == std::vector<std::uint8_t>{6, 100, 101});              // read up to the end
  CHECK(read_n(rb, 8) == std::vector<std::uint8_t>{102, 103, 104, 105, 106});  // from the start
  // A read that itself crosses the end of the array.
  auto third = bytes(8, 200);
  REQUIRE(rb.write(third.data(), 8) == 8);
  CHECK(read_n(rb, 8) == third);
}

TEST_CASE("ring buffer: zero-length transfers accept a null pointer and change nothing") {
  RingBuffer<4> rb;
  CHECK(rb.write(nullptr, 0) == 0);
  CHECK(rb.read(nullptr, 0) == 0);
  CHECK(rb.read(nullptr, 3) == 0);  // nothing to read: the pointer is not touched
  auto full = bytes(4, 9);
  REQUIRE(rb.write(full.data(), 4) == 4);
  CHECK(rb.write(nullptr, 2) == 0);  // no space: the pointer is not touched
  CHECK(read_n(rb, 4) == full);
}

TEST_CASE("ring buffer: a capacity of one byte") {
  RingBuffer<1> rb;
  std::uint8_t x = 42, y = 43;
  CHECK(rb.write(&x, 1) == 1);
  CHECK(rb.write(&y, 1) == 0);
  CHECK(read_n(rb, 5) == std::vector<std::uint8_t>{42});
  CHECK(rb.write(&y, 1) == 1);
  CHECK(read_n(rb, 1) == std::vector<std::uint8_t>{43});
}

TEST_CASE("ring buffer: random writes and reads match a deque") {
  RingBuffer<37> rb;  // a size that divides nothing the random lengths are made of
  std::deque<std::uint8_t> model;
  std::mt19937 rng(777);
  std::uint8_t next = 0;
  std::size_t total_read = 0;
  for (int step = 0; step < 50000; ++step) {
    std::size_t n = rng() % 50;
    if (rng() % 2 == 0) {
      std::vector<std::uint8_t> in(n);
      for (auto& b : in) b = next++;
      std::size_t expect = std::min(n, 37 - model.size());
      REQUIRE(rb.write(in.data(), n) == expect);
      model.insert(model.end(), in.begin(), in.begin() + static_cast<long>(expect));
      next = static_cast<std::uint8_t>(next - (n - expect));  // unwritten bytes come again
    } else {
      std::vector<std::uint8_t> out = read_n(rb, n);
      REQUIRE(out.size() == std::min(n, model.size()));
      for (std::uint8_t b : out) {
        REQUIRE(b == model.front());
        model.pop_front();
      }
      total_read += out.size();
    }
    REQUIRE(rb.size() == model.size());
    REQUIRE(rb.space() == 37 - model.size());
    REQUIRE(rb.empty() == model.empty());
    REQUIRE(rb.full() == (model.size() == 37));
  }
  CHECK(total_read / 37 > 100);  // the run went round the array many times
}
