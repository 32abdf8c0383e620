// Test helpers shared by the PageTable tests: user permissions and mapping a fresh page.
#pragma once

#include <utility>

#include <keos/mm/page.hpp>
#include <keos/mm/page_table.hpp>

#include "catch.hpp"

namespace keos::host {

inline constexpr Permission kUserRw = Permission::kRead | Permission::kWrite | Permission::kUser;
inline constexpr Permission kUserRo = Permission::kRead | Permission::kUser;

// Maps a fresh page at `va`; returns its frame.
inline Pa map_new(PageTable& pt, Va va, Permission perm = kUserRw) {
  Page page = Page::create().take();
  Pa pa = page.pa();
  REQUIRE(pt.map(va, std::move(page), perm).is_ok());
  return pa;
}

}  // namespace keos::host
