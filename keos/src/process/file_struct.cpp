#include <keos/process/file_struct.hpp>

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
  Result<Box<OpenFile>> clone() const override {
    return Box<OpenFile>(TRY(Box<RegularFile>::create(file_, mode_, offset_)));
  }

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
  Result<Box<OpenFile>> clone() const override {
    return Box<OpenFile>(TRY(Box<StdinFile>::create()));
  }
};

class OutputFile final : public OpenFile {
 public:
  explicit OutputFile(Stream stream) : stream_(stream) {}
  Result<std::size_t> write(const void* src, std::size_t len) override {
    return Current::teletype().write(stream_, src, len);
  }
  bool is_stream() const override { return true; }
  Result<Box<OpenFile>> clone() const override {
    return Box<OpenFile>(TRY(Box<OutputFile>::create(stream_)));
  }

 private:
  Stream stream_;
};

class PipeReadFile final : public OpenFile {
 public:
  explicit PipeReadFile(PipeReader reader) : reader_(std::move(reader)) {}
  Result<std::size_t> read(void* dst, std::size_t len) override { return reader_.read(dst, len); }
  bool is_stream() const override { return true; }
  Result<Box<OpenFile>> clone() const override {
    return Box<OpenFile>(TRY(Box<PipeReadFile>::create(reader_.clone())));
  }

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
  Result<Box<OpenFile>> clone() const override {
    return Box<OpenFile>(TRY(Box<PipeWriteFile>::create(writer_.clone())));
  }

 private:
  PipeWriter writer_;
};

}  // namespace

Result<std::size_t> OpenFile::read(void*, std::size_t) { return invalid(); }
Result<std::size_t> OpenFile::write(const void*, std::size_t) { return invalid(); }
Result<std::uint64_t> OpenFile::seek(std::int64_t, Whence) { return invalid(); }
Result<std::uint64_t> OpenFile::tell() { return invalid(); }

Result<Box<OpenFile>> open_regular(const char* name, OpenMode mode) {
  fs::File* file = TRY(fs::open(name));
  return Box<OpenFile>(TRY(Box<RegularFile>::create(*file, mode, 0)));
}

Result<OpenPipe> open_pipe() {
  PipeEnds ends = TRY(make_pipe());
  Box<OpenFile> read_end = TRY(Box<PipeReadFile>::create(std::move(ends.reader)));
  Box<OpenFile> write_end = TRY(Box<PipeWriteFile>::create(std::move(ends.writer)));
  return OpenPipe{std::move(read_end), std::move(write_end)};
}

Result<FileStruct> FileStruct::create() {
  FileStruct files(TRY(Box<Box<OpenFile>[]>::create(kMaxFiles)));
  files.slots_[0] = TRY(Box<StdinFile>::create());
  files.slots_[1] = TRY(Box<OutputFile>::create(Stream::kStdout));
  files.slots_[2] = TRY(Box<OutputFile>::create(Stream::kStderr));
  return files;
}

Result<int> FileStruct::install(Box<OpenFile> file) {
  for (int fd = 3; fd < kMaxFiles; ++fd) {
    if (!slots_[fd]) {
      slots_[fd] = std::move(file);
      return fd;
    }
  }
  return Err(KernelError::kTooManyFiles);
}

Result<OpenFile*> FileStruct::get(int fd) {
  if (fd < 0 || fd >= kMaxFiles || !slots_[fd]) return Err(KernelError::kBadFileDescriptor);
  return slots_[fd].get();
}

Result<void> FileStruct::close(int fd) {
  TRY(get(fd));
  slots_[fd].reset();
  return Ok();
}

Result<FileStruct> FileStruct::clone() const {
  FileStruct copy(TRY(Box<Box<OpenFile>[]>::create(kMaxFiles)));
  for (int fd = 0; fd < kMaxFiles; ++fd) {
    if (slots_[fd]) copy.slots_[fd] = TRY(slots_[fd]->clone());
  }
  return copy;
}

}  // namespace keos
