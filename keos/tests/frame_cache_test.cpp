// FrameCache over a BuddyAllocator: refills by whole blocks, hands back the most recently
// freed frame first, stops at its capacity, gives its frames back when a larger block is
// wanted, runs out exactly when memory does, refuses bad frees, and a seeded random run of
// mixed orders checked against a model of which frames are taken.
#include <keos/mm/frame_cache.hpp>

#include <memory>
#include <random>
#include <vector>

#include "catch.hpp"
#include "host_panic.hpp"
#include "random_frames.hpp"

using keos::mm::BuddyAllocator;
using keos::mm::FrameCache;
using keos::mm::FrameInfo;
using keos::mm::FrameState;
using keos::mm::FrameUsage;

namespace {

constexpr std::uint32_t kNone = BuddyAllocator::kNoFrame;
constexpr std::uint32_t kBatch = 1u << FrameCache::kRefillOrder;

// A BuddyAllocator over its own metadata with frames [first, last) free, and a cache.
struct Pool {
  Pool(std::size_t count, std::uint32_t first, std::uint32_t last)
      : infos(new FrameInfo[count]()), cache(buddy) {
    buddy.init(infos.get(), count);
    buddy.add_free_range(first, last);
  }
  std::unique_ptr<FrameInfo[]> infos;
  BuddyAllocator buddy;
  FrameCache cache;
};

}  // namespace

TEST_CASE("frame cache: a single frame comes from a refilled block, described") {
  Pool p(256, 0, 256);
  std::uint32_t f = p.cache.allocate(0, FrameUsage::kUserData);
  CHECK(f == 0);  // the block's first frame first
  CHECK(p.cache.cached() == kBatch - 1);
  CHECK(p.cache.free_frames() == 255);
  CHECK(p.buddy.free_frames() == 256 - kBatch);
  const FrameInfo& head = p.buddy.info(f);
  CHECK(head.state == FrameState::kAllocated);
  CHECK(head.order == 0);
  CHECK(head.usage == FrameUsage::kUserData);
  CHECK(head.refcount.load() == 1);
  for (std::uint32_t i = 1; i < kBatch; ++i) CHECK(p.buddy.info(i).state == FrameState::kCached);
  CHECK(p.cache.allocate(0, FrameUsage::kGeneric) == 1);  // in order, no new refill
  CHECK(p.buddy.free_frames() == 256 - kBatch);
}

TEST_CASE("frame cache: a refill takes the smallest block, leaving larger ones whole") {
  // Free blocks: 3 | 4..7 | 8..15 | 16..31 | 32..63
  Pool p(64, 3, 64);
  CHECK(p.cache.allocate(0, FrameUsage::kGeneric) == 3);  // the lone frame, nothing cached
  CHECK(p.cache.cached() == 0);
  CHECK(p.cache.allocate(0, FrameUsage::kGeneric) == 4);  // then the block of 4
  CHECK(p.cache.cached() == 3);
  CHECK(p.buddy.free_blocks(3) == 1);  // 8..15, 16..31 and 32..63 still whole
  CHECK(p.buddy.free_blocks(4) == 1);
  CHECK(p.buddy.free_blocks(5) == 1);
  CHECK(p.cache.allocate(5, FrameUsage::kGeneric) == 32);
}

TEST_CASE("frame cache: the frame freed last is the next one handed out") {
  Pool p(256, 0, 256);
  std::uint32_t a = p.cache.allocate(0, FrameUsage::kGeneric);
  std::uint32_t b = p.cache.allocate(0, FrameUsage::kGeneric);
  p.cache.free(a);
  CHECK(p.buddy.info(a).state == FrameState::kCached);
  CHECK(p.buddy.info(a).usage == FrameUsage::kNone);
  CHECK(p.cache.allocate(0, FrameUsage::kGeneric) == a);
  p.cache.free(b);
  p.cache.free(a);
  CHECK(p.cache.allocate(0, FrameUsage::kGeneric) == a);
  CHECK(p.cache.allocate(0, FrameUsage::kGeneric) == b);
  CHECK(p.cache.free_frames() == 254);
}

TEST_CASE("frame cache: frees beyond the capacity go to the buddy, which merges them") {
  Pool p(1024, 0, 1024);
  std::vector<std::uint32_t> frames;
  for (int i = 0; i < 200; ++i) frames.push_back(p.cache.allocate(0, FrameUsage::kGeneric));
  CHECK(p.cache.free_frames() == 1024 - 200);
  for (std::uint32_t f : frames) p.cache.free(f);
  CHECK(p.cache.cached() == FrameCache::kCapacity);
  CHECK(p.cache.free_frames() == 1024);
  CHECK(p.buddy.free_frames() == 1024 - FrameCache::kCapacity);
  p.cache.drain();
  CHECK(p.cache.cached() == 0);
  CHECK(p.buddy.free_blocks(BuddyAllocator::kMaxOrder) == 1);  // whole again
}

TEST_CASE("frame cache: a larger block takes the cached frames back first") {
  Pool p(32, 0, 32);
  std::uint32_t f = p.cache.allocate(0, FrameUsage::kGeneric);
  p.cache.free(f);  // 0..15 cached, 16..31 on the buddy: no block of 32 there
  REQUIRE(p.cache.cached() == kBatch);
  CHECK(p.cache.allocate(5, FrameUsage::kGeneric) == 0);
  CHECK(p.cache.cached() == 0);
  CHECK(p.cache.free_frames() == 0);
  p.cache.free(0);  // order 5: straight to the buddy
  CHECK(p.cache.cached() == 0);
  CHECK(p.buddy.free_blocks(5) == 1);
}

TEST_CASE("frame cache: running out is exact, even with only odd frames left") {
  Pool p(1024, 0, 1024);
  std::vector<std::uint32_t> frames;
  for (std::uint32_t f; (f = p.cache.allocate(0, FrameUsage::kGeneric)) != kNone;) {
    frames.push_back(f);
  }
  CHECK(frames.size() == 1024);
  CHECK(p.cache.free_frames() == 0);
  for (std::uint32_t f : frames) p.cache.free(f);
  CHECK(p.cache.free_frames() == 1024);

  Pool odd(8, 1, 3);  // frames 1 and 2: no block of kBatch to refill with
  std::uint32_t x = odd.cache.allocate(0, FrameUsage::kGeneric);
  std::uint32_t y = odd.cache.allocate(0, FrameUsage::kGeneric);
  CHECK(x + y == 3);  // 1 and 2, in either order
  CHECK(x * y == 2);
  CHECK(odd.cache.allocate(0, FrameUsage::kGeneric) == kNone);
  CHECK(odd.cache.allocate(1, FrameUsage::kGeneric) == kNone);
}

TEST_CASE("frame cache: freeing a cached or a free frame panics") {
  Pool p(256, 0, 256);
  std::uint32_t f = p.cache.allocate(0, FrameUsage::kGeneric);
  p.cache.free(f);
  std::size_t free = p.cache.free_frames();
  CHECK_THROWS_AS(p.cache.free(f), HostPanic);      // twice
  CHECK_THROWS_AS(p.cache.free(f + 1), HostPanic);  // cached, never handed out
  CHECK_THROWS_AS(p.cache.free(200), HostPanic);    // on the buddy's free lists
  CHECK(p.cache.free_frames() == free);
}

TEST_CASE("frame cache: random mixed orders never overlap and restore the pool") {
  constexpr std::size_t kFrames = 2048 + 300;
  Pool p(kFrames, 5, kFrames);
  std::vector<std::size_t> initial;
  for (unsigned order = 0; order <= BuddyAllocator::kMaxOrder; ++order) {
    initial.push_back(p.buddy.free_blocks(order));
  }
  keos::host::random_frames_run(p.cache, kFrames, 77, [](std::mt19937& rng) {
    return rng() % 2 == 0 ? 0u : static_cast<unsigned>(rng() % 6);  // mostly single frames
  });
  p.cache.drain();
  for (unsigned order = 0; order <= BuddyAllocator::kMaxOrder; ++order) {
    CHECK(p.buddy.free_blocks(order) == initial[order]);
  }
}
