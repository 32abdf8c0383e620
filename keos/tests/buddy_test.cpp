// BuddyAllocator over a bare FrameInfo array: how a free range is cut into blocks,
// allocation of every order (size, alignment, metadata), splitting and coalescing back to
// maximal blocks, exhaustion, buddies outside the managed range, the panics for bad frees,
// and a seeded random run checked against a model of which frames are taken.
#include <keos/mm/buddy.hpp>

#include <algorithm>
#include <memory>
#include <random>
#include <vector>

#include "catch.hpp"
#include "host_panic.hpp"
#include "random_frames.hpp"

using keos::mm::BuddyAllocator;
using keos::mm::FrameInfo;
using keos::mm::FrameState;
using keos::mm::FrameUsage;

namespace {

constexpr unsigned kMax = BuddyAllocator::kMaxOrder;
constexpr std::uint32_t kNone = BuddyAllocator::kNoFrame;

// A BuddyAllocator with its own metadata for `count` frames, none free yet.
struct Pool {
  explicit Pool(std::size_t count) : infos(new FrameInfo[count]()) {
    buddy.init(infos.get(), count);
  }
  std::unique_ptr<FrameInfo[]> infos;
  BuddyAllocator buddy;
};

// The number of free blocks of each order.
std::vector<std::size_t> block_counts(const BuddyAllocator& b) {
  std::vector<std::size_t> counts;
  for (unsigned order = 0; order <= kMax; ++order) counts.push_back(b.free_blocks(order));
  return counts;
}

std::vector<std::size_t> only(unsigned order, std::size_t n) {
  std::vector<std::size_t> counts(kMax + 1, 0);
  counts[order] = n;
  return counts;
}

}  // namespace

TEST_CASE("buddy: a free range is cut into the largest aligned blocks") {
  Pool p(64);
  p.buddy.add_free_range(3, 20);  // 3 | 4..7 | 8..15 | 16..19
  CHECK(p.buddy.free_frames() == 17);
  CHECK(p.buddy.managed_frames() == 17);
  CHECK(p.buddy.free_blocks(0) == 1);
  CHECK(p.buddy.free_blocks(1) == 0);
  CHECK(p.buddy.free_blocks(2) == 2);
  CHECK(p.buddy.free_blocks(3) == 1);
  CHECK(p.buddy.info(3).state == FrameState::kFree);
  CHECK(p.buddy.info(8).state == FrameState::kFree);
  CHECK(p.buddy.info(8).order == 3);
  CHECK(p.buddy.info(9).state == FrameState::kInner);
  CHECK(p.buddy.info(2).state == FrameState::kReserved);
  CHECK(p.buddy.info(20).state == FrameState::kReserved);

  Pool big(3000);
  big.buddy.add_free_range(0, 3000);  // 2 blocks of 1024, then 512 + 256 + 128 + 32 + 16 + 8
  CHECK(big.buddy.free_blocks(kMax) == 2);
  CHECK(big.buddy.free_frames() == 3000);
  std::size_t total = 0;
  for (unsigned order = 0; order <= kMax; ++order) total += big.buddy.free_blocks(order) << order;
  CHECK(total == 3000);
}

TEST_CASE("buddy: every order comes out aligned, sized and described") {
  Pool p(4096);
  p.buddy.add_free_range(0, 4096);
  for (unsigned order = 0; order <= kMax; ++order) {
    INFO("order " << order);
    std::size_t before = p.buddy.free_frames();
    std::uint32_t f = p.buddy.allocate(order, FrameUsage::kStack);
    REQUIRE(f != kNone);
    CHECK(f % (1u << order) == 0);
    CHECK(p.buddy.free_frames() == before - (1u << order));
    const FrameInfo& head = p.buddy.info(f);
    CHECK(head.state == FrameState::kAllocated);
    CHECK(head.order == order);
    CHECK(head.usage == FrameUsage::kStack);
    CHECK(head.refcount.load() == 1);
    for (std::uint32_t i = 1; i < (1u << order); ++i) {
      CHECK(p.buddy.info(f + i).state == FrameState::kInner);
    }
    p.buddy.free(f);
    CHECK(p.buddy.free_frames() == before);
    CHECK(head.usage == FrameUsage::kNone);
    CHECK(block_counts(p.buddy) == only(kMax, 4));  // merged straight back
  }
  CHECK(p.buddy.allocate(kMax + 1, FrameUsage::kGeneric) == kNone);
}

TEST_CASE("buddy: a block split to single frames coalesces back to one block") {
  Pool p(1024);
  p.buddy.add_free_range(0, 1024);
  REQUIRE(block_counts(p.buddy) == only(kMax, 1));
  std::vector<std::uint32_t> frames;
  for (int i = 0; i < 1024; ++i) {
    std::uint32_t f = p.buddy.allocate(0, FrameUsage::kGeneric);
    REQUIRE(f != kNone);
    frames.push_back(f);
  }
  std::vector<std::uint32_t> sorted = frames;
  std::sort(sorted.begin(), sorted.end());
  CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());  // all distinct
  CHECK(sorted.back() == 1023);
  CHECK(p.buddy.free_frames() == 0);
  CHECK(p.buddy.allocate(0, FrameUsage::kGeneric) == kNone);

  std::mt19937 rng(12345);
  std::shuffle(frames.begin(), frames.end(), rng);
  for (std::size_t i = 0; i < frames.size(); ++i) {
    p.buddy.free(frames[i]);
    if (i == 511) CHECK(p.buddy.free_blocks(kMax) == 0);  // half free cannot be one block
  }
  CHECK(p.buddy.free_frames() == 1024);
  CHECK(block_counts(p.buddy) == only(kMax, 1));
  CHECK(p.buddy.allocate(kMax, FrameUsage::kGeneric) == 0);
}

TEST_CASE("buddy: freeing a block merges it with its free buddy only") {
  Pool p(16);
  p.buddy.add_free_range(0, 16);
  std::uint32_t a = p.buddy.allocate(2, FrameUsage::kGeneric);  // 0..3
  std::uint32_t b = p.buddy.allocate(2, FrameUsage::kGeneric);  // its buddy, 4..7
  std::uint32_t c = p.buddy.allocate(3, FrameUsage::kGeneric);  // 8..15
  CHECK((a ^ b) == 4);
  CHECK(c == 8);
  p.buddy.free(a);
  CHECK(p.buddy.free_blocks(2) == 1);  // its buddy is taken: no merge
  p.buddy.free(c);
  CHECK(p.buddy.free_blocks(3) == 1);  // 8..15's buddy (0..7) is not whole yet
  p.buddy.free(b);
  CHECK(block_counts(p.buddy) == only(4, 1));  // 0..7 forms, then merges with 8..15
}

TEST_CASE("buddy: exhaustion fails without losing anything") {
  Pool p(1024);
  p.buddy.add_free_range(0, 1024);
  std::uint32_t one = p.buddy.allocate(0, FrameUsage::kGeneric);
  CHECK(p.buddy.allocate(kMax, FrameUsage::kGeneric) == kNone);  // 1023 free, not in one block
  CHECK(p.buddy.free_frames() == 1023);
  std::uint32_t half = p.buddy.allocate(kMax - 1, FrameUsage::kGeneric);
  REQUIRE(half != kNone);
  CHECK(p.buddy.allocate(kMax - 1, FrameUsage::kGeneric) == kNone);
  CHECK(p.buddy.free_frames() == 511);
  p.buddy.free(half);
  p.buddy.free(one);
  CHECK(block_counts(p.buddy) == only(kMax, 1));
}

TEST_CASE("buddy: a buddy outside the managed range is never merged") {
  Pool p(8);
  p.buddy.add_free_range(1, 3);  // frames 1 and 2: buddies 0 and 3 are reserved
  CHECK(block_counts(p.buddy) == only(0, 2));
  std::uint32_t x = p.buddy.allocate(0, FrameUsage::kGeneric);
  std::uint32_t y = p.buddy.allocate(0, FrameUsage::kGeneric);
  CHECK(p.buddy.allocate(0, FrameUsage::kGeneric) == kNone);
  p.buddy.free(x);
  p.buddy.free(y);
  CHECK(block_counts(p.buddy) == only(0, 2));
  CHECK(p.buddy.info(0).state == FrameState::kReserved);
  CHECK(p.buddy.info(3).state == FrameState::kReserved);

  Pool edge(6);  // the last block's buddy would lie past the end of the array
  edge.buddy.add_free_range(4, 6);
  std::uint32_t f = edge.buddy.allocate(1, FrameUsage::kGeneric);
  CHECK(f == 4);
  edge.buddy.free(f);
  CHECK(block_counts(edge.buddy) == only(1, 1));
}

TEST_CASE("buddy: double free, inner frames and free frames are refused") {
  Pool p(64);
  p.buddy.add_free_range(0, 64);
  std::uint32_t f = p.buddy.allocate(2, FrameUsage::kGeneric);
  CHECK_THROWS_AS(p.buddy.free(f + 1), HostPanic);  // inside the block, not its head
  p.buddy.free(f);
  std::size_t free = p.buddy.free_frames();
  CHECK_THROWS_AS(p.buddy.free(f), HostPanic);                // twice
  CHECK_THROWS_AS(p.buddy.free(64), HostPanic);               // past the end
  CHECK_THROWS_AS(p.buddy.add_free_range(8, 16), HostPanic);  // already managed
  CHECK(p.buddy.free_frames() == free);
  CHECK(block_counts(p.buddy) == only(6, 1));
}

TEST_CASE("buddy: random allocations and frees never overlap and restore the pool") {
  constexpr std::size_t kFrames = 2048 + 300;
  Pool p(kFrames);
  p.buddy.add_free_range(5, kFrames);
  const std::vector<std::size_t> initial = block_counts(p.buddy);
  keos::host::random_frames_run(p.buddy, kFrames, 2024,
                                [](std::mt19937& rng) { return static_cast<unsigned>(rng() % 6); });
  CHECK(block_counts(p.buddy) == initial);
}
