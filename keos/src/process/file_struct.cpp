#include <keos/process/file_struct.hpp>

#include <new>

#include <keos/fs/fs.hpp>
#include <keos/thread/thread.hpp>

namespace keos {
namespace {

Err invalid() { return Err(KernelError::kInvalidArgument); }

class RegularFile final : public OpenFile {
 public:
  RegularFile(fs::File& file, OpenMode mode, std::uint64_t offset)
      : file_(file), mode_(mode), offset_(offset) {}
  Result<std::size_t> read(void* dst, std::size_t len) override {
    if (mode_ == OpenMode::kWriteOnly) return invalid();
    std::size_t n = offset_ < file_.size() ? file_.read_at(offset_, dst, len) : 0;
    offset_ += n;
    return n;
  }
  Result<std::size_t> write(const void* src, std::size_t len) override {
    if (mode_ == OpenMode::kReadOnly) return invalid();
    std::size_t n = offset_ < file_.size() ? file_.write_at(offset_, src, len) : 0;
    offset_ += n;
    return n;
  }
  Result<std::uint64_t> seek(std::int64_t offset, Whence whence) override {
    std::int64_t base = whence == Whence::kSet       ? 0
                        : whence == Whence::kCurrent ? static_cast<std::int64_t>(offset_)
                                                     : static_cast<std::int64_t>(file_.size());
    std::int64_t target;
    if (__builtin_add_overflow(base, offset, &target) || target < 0) return invalid();
    offset_ = static_cast<std::uint64_t>(target);
    return offset_;
  }
  Result<std::uint64_t> tell() override { return offset_; }
  fs::File* regular_file() override { return &file_; }
  OpenFile* clone() const override { return new (std::nothrow) RegularFile(file_, mode_, offset_); }

 private:
  fs::File& file_;
  OpenMode mode_;
  std::uint64_t offset_;
};

class StdinFile final : public OpenFile {
 public:
  Result<std::size_t> read(void* dst, std::size_t len) override {
    return Current::teletype().read(dst, len);
  }
  bool is_stream() const override { return true; }
  OpenFile* clone() const override { return new (std::nothrow) StdinFile; }
};

class OutputFile final : public OpenFile {
 public:
  explicit OutputFile(Stream stream) : stream_(stream) {}
  Result<std::size_t> write(const void* src, std::size_t len) override {
    return Current::teletype().write(stream_, src, len);
  }
  bool is_stream() const override { return true; }
  OpenFile* clone() const override { return new (std::nothrow) OutputFile(stream_); }

 private:
  Stream stream_;
};

class PipeReadFile final : public OpenFile {
 public:
  explicit PipeReadFile(PipeReader reader) : reader_(std::move(reader)) {}
  Result<std::size_t> read(void* dst, std::size_t len) override { return reader_.read(dst, len); }
  bool is_stream() const override { return true; }
  OpenFile* clone() const override { return new (std::nothrow) PipeReadFile(reader_.clone()); }

 private:
  PipeReader reader_;
};

class PipeWriteFile final : public OpenFile {
 public:
  explicit PipeWriteFile(PipeWriter writer) : writer_(std::move(writer)) {}
  Result<std::size_t> write(const void* src, std::size_t len) override {
    return writer_.write(src, len);
  }
  bool is_stream() const override { return true; }
  OpenFile* clone() const override { return new (std::nothrow) PipeWriteFile(writer_.clone()); }

 private:
  PipeWriter writer_;
};

}  // namespace

Result<std::size_t> OpenFile::read(void*, std::size_t) { return invalid(); }
Result<std::size_t> OpenFile::write(const void*, std::size_t) { return invalid(); }
Result<std::uint64_t> OpenFile::seek(std::int64_t, Whence) { return invalid(); }
Result<std::uint64_t> OpenFile::tell() { return invalid(); }

Result<OpenFile*> open_regular(const char* name, OpenMode mode) {
  fs::File* file = TRY(fs::open(name));
  OpenFile* open = new (std::nothrow) RegularFile(*file, mode, 0);
  if (open == nullptr) return Err(KernelError::kNoMemory);
  return open;
}

Result<OpenPipe> open_pipe() {
  PipeEnds ends = TRY(make_pipe());
  auto* r = new (std::nothrow) PipeReadFile(std::move(ends.reader));
  auto* w = new (std::nothrow) PipeWriteFile(std::move(ends.writer));
  if (r == nullptr || w == nullptr) {
    delete r;
    delete w;
    return Err(KernelError::kNoMemory);
  }
  return OpenPipe{r, w};
}

Result<FileStruct> FileStruct::create() {
  auto** slots = new (std::nothrow) OpenFile*[kMaxFiles]();
  if (slots == nullptr) return Err(KernelError::kNoMemory);
  FileStruct files(slots);
  slots[0] = new (std::nothrow) StdinFile;
  slots[1] = new (std::nothrow) OutputFile(Stream::kStdout);
  slots[2] = new (std::nothrow) OutputFile(Stream::kStderr);
  if (slots[0] == nullptr || slots[1] == nullptr || slots[2] == nullptr) {
    return Err(KernelError::kNoMemory);
  }
  return files;
}

FileStruct::~FileStruct() {
  if (slots_ == nullptr) return;
  for (int fd = 0; fd < kMaxFiles; ++fd) delete slots_[fd];
  delete[] slots_;
}

Result<int> FileStruct::install(OpenFile* file) {
  for (int fd = 3; fd < kMaxFiles; ++fd) {
    if (slots_[fd] == nullptr) {
      slots_[fd] = file;
      return fd;
    }
  }
  delete file;
  return Err(KernelError::kTooManyFiles);
}

Result<OpenFile*> FileStruct::get(int fd) {
  if (fd < 0 || fd >= kMaxFiles || slots_[fd] == nullptr) {
    return Err(KernelError::kBadFileDescriptor);
  }
  return slots_[fd];
}

Result<void> FileStruct::close(int fd) {
  TRY(get(fd));
  delete slots_[fd];
  slots_[fd] = nullptr;
  return Ok();
}

Result<FileStruct> FileStruct::clone() const {
  auto** slots = new (std::nothrow) OpenFile*[kMaxFiles]();
  if (slots == nullptr) return Err(KernelError::kNoMemory);
  FileStruct copy(slots);
  for (int fd = 0; fd < kMaxFiles; ++fd) {
    if (slots_[fd] == nullptr) continue;
    slots[fd] = slots_[fd]->clone();
    if (slots[fd] == nullptr) return Err(KernelError::kNoMemory);
  }
  return copy;
}

}  // namespace keos
