// The random allocation run shared by the buddy and frame-cache tests: `steps` seeded
// steps that each allocate a block (of the order `pick_order(rng)` gives) or free a
// random live one, checked against a model of which frames are taken: blocks come out
// aligned, never overlap, and the free count always equals the managed count minus what
// the model holds. Frees everything still live at the end.
#pragma once

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include <keos/mm/buddy.hpp>

#include "catch.hpp"

namespace keos::host {

// `Allocator` has allocate(order, usage), free(frame) and free_frames(), like
// BuddyAllocator and FrameCache; `frames` is the length of its metadata array.
template <class Allocator, class PickOrder>
void random_frames_run(Allocator& a, std::size_t frames, unsigned seed, PickOrder pick_order) {
  const std::size_t managed = a.free_frames();
  std::vector<int> owner(frames, -1);  // the model: which allocation holds each frame
  std::vector<std::pair<std::uint32_t, unsigned>> live;
  std::size_t taken = 0;
  std::mt19937 rng(seed);
  for (int step = 0; step < 20000; ++step) {
    if (live.empty() || rng() % 3 != 0) {
      unsigned order = pick_order(rng);
      std::uint32_t f = a.allocate(order, mm::FrameUsage::kGeneric);
      if (f == mm::BuddyAllocator::kNoFrame) continue;
      REQUIRE(f % (1u << order) == 0);
      REQUIRE(f + (1u << order) <= frames);
      for (std::uint32_t i = f; i < f + (1u << order); ++i) {
        REQUIRE(owner[i] == -1);
        owner[i] = step;
      }
      live.emplace_back(f, order);
      taken += 1u << order;
    } else {
      std::size_t k = rng() % live.size();
      auto [f, order] = live[k];
      live[k] = live.back();
      live.pop_back();
      for (std::uint32_t i = f; i < f + (1u << order); ++i) owner[i] = -1;
      a.free(f);
      taken -= 1u << order;
    }
    REQUIRE(a.free_frames() == managed - taken);
  }
  for (auto [f, order] : live) a.free(f);
  CHECK(a.free_frames() == managed);
}

}  // namespace keos::host
