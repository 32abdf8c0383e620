// Includes Catch2 whichever major version the distribution ships: v2 (one header, e.g.
// Debian 12) or v3 (split headers plus a library, e.g. Ubuntu 24.04; the Makefile defines
// KEOS_CATCH2_V3 and links Catch2Main).
#pragma once

#ifdef KEOS_CATCH2_V3
#include <catch2/catch_test_macros.hpp>
#else
#include <catch2/catch.hpp>
#endif
