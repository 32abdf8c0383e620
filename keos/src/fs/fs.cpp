#include <keos/fs/fs.hpp>

#include <new>

#include <abyss/boot.hpp>
#include <abyss/console.hpp>
#include <abyss/string.hpp>
#include <keos/addressing.hpp>
#include <keos/fs/archive.hpp>

namespace keos::fs {
namespace {

File* g_files = nullptr;  // written once at boot
std::size_t g_count = 0;

}  // namespace

std::size_t File::read_at(std::size_t offset, void* dst, std::size_t len) {
  abyss::SpinLockGuard guard(lock_);
  if (offset >= size_) return 0;
  std::size_t n = len < size_ - offset ? len : size_ - offset;
  memcpy(dst, data_ + offset, n);
  return n;
}

std::size_t File::write_at(std::size_t offset, const void* src, std::size_t len) {
  abyss::SpinLockGuard guard(lock_);
  if (offset >= size_) return 0;
  std::size_t n = len < size_ - offset ? len : size_ - offset;
  memcpy(data_ + offset, src, n);
  return n;
}

Result<void> add_archive(std::uint8_t* data, std::size_t size, ArchiveDefect* defect,
                         OnClash on_clash) {
  Archive archive = TRY(Archive::parse(data, size, defect));
  std::size_t capacity = g_count + archive.count();
  auto* files = new (std::nothrow) File[capacity == 0 ? 1 : capacity];
  if (files == nullptr) return Err(KernelError::kNoMemory);
  for (std::size_t i = 0; i < g_count; ++i) {
    memcpy(files[i].name_, g_files[i].name_, sizeof files[i].name_);
    files[i].data_ = g_files[i].data_;
    files[i].size_ = g_files[i].size_;
  }
  std::size_t count = g_count;
  for (std::size_t i = 0; i < archive.count(); ++i) {
    const ArchiveEntry& e = archive.entry(i);
    File* f = nullptr;
    if (on_clash == OnClash::kReplace) {
      for (std::size_t k = 0; k < g_count && f == nullptr; ++k) {
        if (strcmp(files[k].name_, e.name) == 0) f = &files[k];
      }
      if (f != nullptr) {
        abyss::log::warning("fs: %s from the added archive replaces the file already there", e.name);
      }
    }
    if (f == nullptr) f = &files[count++];  // new, or kept second (open() finds the first)
    memcpy(f->name_, e.name, sizeof f->name_);
    f->data_ = data + e.offset;
    f->size_ = e.size;
  }
  delete[] g_files;  // only at boot, before any file is opened
  g_files = files;
  g_count = count;
  return Ok();
}

Result<void> mount_root(ArchiveDefect* defect) {
  const abyss::BootInfo& info = abyss::boot_info();
  for (std::size_t i = 0; i < info.module_count; ++i) {
    const abyss::BootModule& m = info.modules[i];
    if (strcmp(m.cmdline, "rootfs") != 0) continue;
    return add_archive(phys_ptr<std::uint8_t>(m.start), m.end - m.start, defect);
  }
  return Err(KernelError::kNoSuchEntry);
}

Result<File*> open(const char* name) {
  for (std::size_t i = 0; i < g_count; ++i) {
    if (strcmp(g_files[i].name(), name) == 0) return &g_files[i];
  }
  return Err(KernelError::kNoSuchEntry);
}

std::size_t file_count() { return g_count; }
File& file_at(std::size_t i) {
  KASSERT(i < g_count);
  return g_files[i];
}

}  // namespace keos::fs
