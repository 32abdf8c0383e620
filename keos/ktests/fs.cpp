// The root file system: the files KeOS tests expect, reads at offsets, and writes that
// never grow a file but are seen by every later read.
#include <abyss/string.hpp>
#include <keos/fs/fs.hpp>
#include <keos/test.hpp>

using namespace keos;

KEOS_TEST(fs_hello_files) {
  static const char kPrefix[] = "Welcome to KeOS Project!\n\nEven t";
  char first[140], other[140];
  for (const char* name : {"hello", "hello2", "hello3"}) {
    Result<fs::File*> file = fs::open(name);
    KEOS_ASSERT(file.is_ok());
    KEOS_ASSERT_EQ(file.value()->size(), 140u);
    char* buf = strcmp(name, "hello") == 0 ? first : other;
    KEOS_ASSERT_EQ(file.value()->read_at(0, buf, 500), 140u);
    KEOS_ASSERT(memcmp(buf, kPrefix, sizeof kPrefix - 1) == 0);
    KEOS_ASSERT(memcmp(first, buf, 140) == 0);
    KEOS_ASSERT(buf[139] != '\n');
  }
  KEOS_ASSERT(fs::open("no-such-file").error() == KernelError::kNoSuchEntry);
  KEOS_ASSERT(fs::open("").error() == KernelError::kNoSuchEntry);
}

KEOS_TEST(fs_write_is_clamped_and_visible) {
  fs::File* file = fs::open("hello3").take();
  char saved[140];
  KEOS_ASSERT_EQ(file->read_at(0, saved, sizeof saved), 140u);
  KEOS_ASSERT_EQ(file->write_at(130, "0123456789ABCDEF", 16), 10u);  // cut at the end
  KEOS_ASSERT_EQ(file->size(), 140u);
  char tail[20] = {};
  KEOS_ASSERT_EQ(fs::open("hello3").value()->read_at(128, tail, sizeof tail), 12u);
  KEOS_ASSERT(memcmp(tail + 2, "0123456789", 10) == 0);
  KEOS_ASSERT_EQ(file->write_at(140, "x", 1), 0u);
  KEOS_ASSERT_EQ(file->read_at(140, tail, 1), 0u);
  KEOS_ASSERT_EQ(file->read_at(1000, tail, 1), 0u);
  KEOS_ASSERT_EQ(file->write_at(0, saved, sizeof saved), 140u);  // leave it as found
}
