// On the host, abyss::panic throws HostPanic instead of stopping a machine, so a unit test
// can check that a broken invariant is caught: REQUIRE_THROWS_AS(expr, HostPanic).
#pragma once

#include <stdexcept>
#include <string>

struct HostPanic : std::runtime_error {
  explicit HostPanic(const std::string& message) : std::runtime_error(message) {}
};
