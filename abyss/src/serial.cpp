#include <abyss/serial.hpp>

#include <abyss/cpu.hpp>

namespace abyss::serial {
namespace {

constexpr std::uint16_t kCom1 = 0x3f8;
constexpr std::uint16_t kData = 0, kInterruptEnable = 1, kFifoControl = 2, kLineControl = 3,
                        kModemControl = 4, kLineStatus = 5;
constexpr std::uint8_t kTransmitEmpty = 0x20;

void put(char c) {
  // Bounded wait: a missing or stuck UART must not hang the kernel.
  for (int i = 0; i < 100000 && !(cpu::inb(kCom1 + kLineStatus) & kTransmitEmpty); ++i) {
    cpu::pause();
  }
  cpu::outb(kCom1 + kData, static_cast<std::uint8_t>(c));
}

}  // namespace

void init() {
  cpu::outb(kCom1 + kInterruptEnable, 0x00);
  cpu::outb(kCom1 + kLineControl, 0x80);  // divisor latch
  cpu::outb(kCom1 + 0, 0x01);             // 115200 baud
  cpu::outb(kCom1 + 1, 0x00);
  cpu::outb(kCom1 + kLineControl, 0x03);  // 8N1
  cpu::outb(kCom1 + kFifoControl, 0xc7);  // FIFOs on, cleared
  cpu::outb(kCom1 + kModemControl, 0x03);
}

void write(const char* data, std::size_t len) {
  for (std::size_t i = 0; i < len; ++i) {
    if (data[i] == '\n') put('\r');
    put(data[i]);
  }
}

}  // namespace abyss::serial
