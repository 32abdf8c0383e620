// FileLoader reads the root file system (kernel only; vma.cpp also builds on the host).
#include <keos/fs/fs.hpp>
#include <keos/process/vma.hpp>

namespace keos {

Result<void> FileLoader::load(Page& page, std::uint64_t offset) {
  if (offset >= file_bytes_) return Ok();  // all zeros
  std::uint64_t n = file_bytes_ - offset < kPageSize ? file_bytes_ - offset : kPageSize;
  file_.read_at(file_offset_ + offset, page.data(), n);  // past the end of file: zeros
  return Ok();
}

Result<Box<MmLoader>> FileLoader::clone() const {
  return Box<MmLoader>(TRY(Box<FileLoader>::create(file_, file_offset_, file_bytes_)));
}

}  // namespace keos
