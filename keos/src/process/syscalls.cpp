// The system calls of a process (numbers and rules: keos-port-facts.md, and
// keos/process/file_struct.hpp for the file rules).
#include <new>

#include <keos/fs/fs.hpp>
#include <keos/process/process.hpp>
#include <keos/syscall/uaccess.hpp>

namespace keos {
namespace {

constexpr std::size_t kChunk = 4096;  // kernel bounce buffer for read and write
constexpr std::size_t kPathMax = 256;
constexpr std::uint64_t kProtRead = 1, kProtWrite = 2, kProtExec = 4;

Err fault() { return Err(KernelError::kBadAddress); }
Err invalid() { return Err(KernelError::kInvalidArgument); }

int as_fd(std::uint64_t raw) { return static_cast<int>(static_cast<std::int64_t>(raw)); }

// A bounce buffer on the heap (kernel stacks are small).
// The kernel buffer a read or write moves its bytes through. A short transfer uses a
// buffer on the kernel stack, so that the short writes programs make all the time (a line
// of output, a byte into a pipe) never fail for lack of heap memory; a longer one takes a
// kChunk heap buffer and moves the bytes a chunk at a time. `data` is nullptr if that
// allocation failed.
class Bounce {
 public:
  explicit Bounce(std::uint64_t len)
      : data(len <= kInline ? inline_ : new (std::nothrow) std::uint8_t[kChunk]),
        size(len <= kInline ? kInline : kChunk) {}
  ~Bounce() {
    if (data != inline_) delete[] data;
  }
  Bounce(const Bounce&) = delete;
  Bounce& operator=(const Bounce&) = delete;

  std::uint8_t* const data;
  const std::size_t size;

 private:
  static constexpr std::size_t kInline = 256;
  std::uint8_t inline_[kInline];
};

}  // namespace

void Process::syscall(Registers& regs) {
  fault_repeats_ = 0;  // the program made progress (see Process::page_fault)
  SyscallAbi abi(regs);
  abi.set_return(dispatch(abi));
}

Result<std::uint64_t> Process::dispatch(SyscallAbi& abi) {
  switch (static_cast<Sys>(abi.number())) {
    case Sys::kExit:
      Current::exit(static_cast<int>(abi.arg(0)));

    case Sys::kOpen: {
      std::uint64_t flags = abi.arg(1);
      if (flags > static_cast<std::uint64_t>(OpenMode::kReadWrite)) return invalid();
      char path[kPathMax];
      TRY(copy_string_from_user(path, Va(abi.arg(0)), sizeof path));
      Box<OpenFile> file = TRY(open_regular(path, static_cast<OpenMode>(flags)));
      return static_cast<std::uint64_t>(TRY(files_.install(std::move(file))));
    }

    case Sys::kRead: {
      OpenFile* file = TRY(files_.get(as_fd(abi.arg(0))));
      Va buf(abi.arg(1));
      std::uint64_t len = abi.arg(2);
      if (!access_ok(buf, len, Access::kWrite)) return fault();
      Bounce bounce(len);
      if (bounce.data == nullptr) return Err(KernelError::kNoMemory);
      std::uint64_t done = 0;
      do {
        std::size_t want = len - done < bounce.size ? len - done : bounce.size;
        std::size_t got = TRY(file->read(bounce.data, want));
        if (got != 0) TRY(copy_to_user(buf + done, bounce.data, got));
        done += got;
        if (got < want || file->is_stream()) break;
      } while (done < len);
      return done;
    }

    case Sys::kWrite: {
      OpenFile* file = TRY(files_.get(as_fd(abi.arg(0))));
      Va buf(abi.arg(1));
      std::uint64_t len = abi.arg(2);
      if (!access_ok(buf, len, Access::kRead)) return fault();
      Bounce bounce(len);
      if (bounce.data == nullptr) return Err(KernelError::kNoMemory);
      std::uint64_t done = 0;
      do {
        std::size_t want = len - done < bounce.size ? len - done : bounce.size;
        if (want != 0) TRY(copy_from_user(bounce.data, buf + done, want));
        std::size_t put = TRY(file->write(bounce.data, want));
        done += put;
        if (put < want) break;  // the end of a file: writes never grow it
      } while (done < len);
      return done;
    }

    case Sys::kSeek: {
      OpenFile* file = TRY(files_.get(as_fd(abi.arg(0))));
      std::uint64_t whence = abi.arg(2);
      if (whence > static_cast<std::uint64_t>(Whence::kEnd)) return invalid();
      return file->seek(static_cast<std::int64_t>(abi.arg(1)), static_cast<Whence>(whence));
    }

    case Sys::kTell:
      return TRY(files_.get(as_fd(abi.arg(0))))->tell();

    case Sys::kClose:
      TRY(files_.close(as_fd(abi.arg(0))));
      return 0;

    case Sys::kPipe: {
      Va fds(abi.arg(0));
      if (!access_ok(fds, 8, Access::kWrite)) return fault();
      OpenPipe pipe = TRY(open_pipe());
      int r = TRY(files_.install(std::move(pipe.read_end)));
      Result<int> w = files_.install(std::move(pipe.write_end));
      if (w.is_err()) {
        (void)files_.close(r);
        return Err(w.error());
      }
      std::int32_t pair[2] = {r, w.value()};
      if (copy_to_user(fds, pair, sizeof pair).is_err()) {
        (void)files_.close(pair[0]);
        (void)files_.close(pair[1]);
        return fault();
      }
      return 0;
    }

    case Sys::kMmap: {
      Va addr(abi.arg(0));
      std::uint64_t len = abi.arg(1), prot = abi.arg(2), offset = abi.arg(4);
      std::int64_t fd = static_cast<std::int64_t>(abi.arg(3));
      if (prot == 0 || (prot & ~(kProtRead | kProtWrite | kProtExec)) != 0) return invalid();
      // x86 cannot map a page it cannot read: every mapping is readable.
      Permission perm = Permission::kRead;
      if (prot & kProtWrite) perm = perm | Permission::kWrite;
      if (prot & kProtExec) perm = perm | Permission::kExecutable;
      Box<MmLoader> loader;
      if (fd == -1) {
        loader = TRY(Box<AnonymousLoader>::create());
      } else {
        if (fd < 0 || fd > INT32_MAX) return Err(KernelError::kBadFileDescriptor);
        OpenFile* file = TRY(files_.get(static_cast<int>(fd)));
        fs::File* backing = file->regular_file();
        if (backing == nullptr || offset % kPageSize != 0) return invalid();
        std::uint64_t bytes = offset < backing->size() ? backing->size() - offset : 0;
        loader = TRY(Box<FileLoader>::create(*backing, offset, bytes));
      }
      return TRY(mm_.mmap(addr, len, perm, std::move(loader))).value();
    }

    case Sys::kMunmap:
      TRY(mm_.munmap(Va(abi.arg(0))));
      return 0;

    case Sys::kFork:
      return TRY(fork(abi.registers()));

    case Sys::kGetPhys: {
      Va va(abi.arg(0));
      std::uint64_t mode = abi.arg(1);
      if (mode > 1) return invalid();
      Result<Pte> pte = mm_.page_table().walk(va);
      if (pte.is_err()) return invalid();
      if (mode == 1) return pte.value().raw();
      return pte.value().pa().value() | va.page_offset();
    }

    case Sys::kMemmapSnapshot:
      TRY(memmap::snapshot_requested(Va(abi.arg(0))));
      return 0;
  }
  return Err(KernelError::kNoSys);
}

}  // namespace keos
