// Pipes between kernel threads: data arrives whole and in order through a buffer smaller
// than the transfer, readers see the end only after every write end is gone, and writers
// learn when no reader is left.
#include <keos/channel.hpp>
#include <keos/test.hpp>
#include <keos/thread/thread.hpp>

using namespace keos;

namespace {
std::uint8_t pattern(std::size_t i) { return static_cast<std::uint8_t>(i * 7 + (i >> 9)); }
}  // namespace

KEOS_TEST(pipe_across_threads) {
  constexpr std::size_t kTotal = 3 * kPipeCapacity + 1234;  // the writer must wait
  Result<PipeEnds> ends = make_pipe();
  KEOS_ASSERT(ends.is_ok());
  PipeReader reader = std::move(ends.value().reader);
  auto* writer = new PipeWriter(std::move(ends.value().writer));
  auto producer = ThreadBuilder("producer").spawn([writer] {
    static std::uint8_t chunk[3000];
    std::size_t sent = 0;
    while (sent < kTotal) {
      std::size_t n = kTotal - sent < sizeof chunk ? kTotal - sent : sizeof chunk;
      for (std::size_t i = 0; i < n; ++i) chunk[i] = pattern(sent + i);
      Result<std::size_t> w = writer->write(chunk, n);
      if (w.is_err() || w.value() != n) return 1;
      sent += n;
    }
    delete writer;  // the last write end: the reader sees the end after draining
    return 0;
  });
  KEOS_ASSERT(producer.is_ok());
  static std::uint8_t buf[5000];
  std::size_t received = 0, reads = 0;
  for (;;) {
    Result<std::size_t> r = reader.read(buf, 1 + (reads * 977) % sizeof buf);
    ++reads;
    if (r.is_err()) {
      KEOS_ASSERT(r.error() == KernelError::kBrokenPipe);
      break;
    }
    KEOS_ASSERT(r.value() > 0);
    for (std::size_t i = 0; i < r.value(); ++i) {
      if (buf[i] != pattern(received + i)) {
        keos::test::fail(__FILE__, __LINE__, "byte %lu differs", received + i);
        return;
      }
    }
    received += r.value();
  }
  KEOS_ASSERT_EQ(received, kTotal);
  KEOS_ASSERT_EQ(producer.take().join(), 0);
  // Still the end, every time.
  KEOS_ASSERT(reader.read(buf, 10).error() == KernelError::kBrokenPipe);
}

KEOS_TEST(pipe_ends_close_independently) {
  Result<PipeEnds> ends = make_pipe();
  KEOS_ASSERT(ends.is_ok());
  {
    PipeWriter writer = std::move(ends.value().writer);
    PipeWriter second = writer.clone();
    const std::uint8_t data[] = {1, 2, 3};
    KEOS_ASSERT_EQ(writer.write(data, 3).value(), 3u);
    // writer goes here; `second` keeps the write end open
    {
      PipeWriter gone = std::move(writer);
    }
    std::uint8_t got[8];
    KEOS_ASSERT_EQ(ends.value().reader.read(got, sizeof got).value(), 3u);
    KEOS_ASSERT_EQ(second.write(data, 1).value(), 1u);
    KEOS_ASSERT_EQ(ends.value().reader.read(got, sizeof got).value(), 1u);
  }
  std::uint8_t got[8];
  KEOS_ASSERT(ends.value().reader.read(got, sizeof got).error() == KernelError::kBrokenPipe);

  Result<PipeEnds> other = make_pipe();
  KEOS_ASSERT(other.is_ok());
  PipeWriter writer = std::move(other.value().writer);
  {
    PipeReader gone = std::move(other.value().reader);
  }
  const std::uint8_t byte = 9;
  KEOS_ASSERT(writer.write(&byte, 1).error() == KernelError::kBrokenPipe);
  KEOS_ASSERT_EQ(writer.write(&byte, 0).value(), 0u);
}
