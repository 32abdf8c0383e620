// Teletypes: canned input, captured output per stream, inherited by new threads.
#include <abyss/string.hpp>
#include <keos/teletype.hpp>
#include <keos/test.hpp>
#include <keos/thread/thread.hpp>

using namespace keos;

KEOS_TEST(teletype_input_output_inherited) {
  const char input[] = "first\nsecond";
  Teletype* tty = Teletype::create(input, sizeof input - 1, Echo::kYes);
  KEOS_ASSERT(tty != nullptr);
  tty->ref();  // ours, to inspect it after the thread is done
  Teletype* previous = Current::replace_teletype(tty);
  auto child = ThreadBuilder("writer").spawn([] {
    Teletype& t = Current::teletype();
    char buf[8];
    std::size_t n = t.read(buf, 6);  // "first\n"
    t.write(Stream::kStdout, buf, n);
    n = t.read(buf, sizeof buf);  // "second": the rest
    t.write(Stream::kStdout, buf, n);
    const char odd[] = {'\\', '\x01', '\t'};
    t.write(Stream::kStderr, odd, sizeof odd);
    return static_cast<int>(t.read(buf, sizeof buf));  // end of input: 0
  });
  Teletype* mine = Current::replace_teletype(previous);
  KEOS_ASSERT(mine == tty);
  mine->unref();
  KEOS_ASSERT(child.is_ok());
  KEOS_ASSERT_EQ(child.take().join(), 0);
  KEOS_ASSERT_EQ(tty->captured_size(Stream::kStdout), 12u);
  KEOS_ASSERT(memcmp(tty->captured(Stream::kStdout), "first\nsecond", 12) == 0);
  KEOS_ASSERT_EQ(tty->captured_size(Stream::kStderr), 3u);
  KEOS_ASSERT(memcmp(tty->captured(Stream::kStderr), "\\\x01\t", 3) == 0);
  KEOS_ASSERT(!tty->truncated(Stream::kStdout));
  tty->unref();
}
