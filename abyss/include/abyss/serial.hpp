/// \file
/// The 16550 UART on COM1 (I/O port 0x3f8), 115200 baud 8N1, polled. Unlocked: the console
/// (console.hpp) serialises writers.
#pragma once

#include <cstddef>

/// The first serial port, the console's hardware.
namespace abyss::serial {

/// Programs the UART. Safe to call again.
void init();
/// Writes `len` bytes, turning "\n" into "\r\n".
void write(const char* data, std::size_t len);

}  // namespace abyss::serial
