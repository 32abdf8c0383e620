// The unit-test program's main(): Catch2 v2 generates it here; v3 links Catch2Main.
#ifndef KEOS_CATCH2_V3
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#endif
