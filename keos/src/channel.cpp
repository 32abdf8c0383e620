#include <keos/channel.hpp>

#include <atomic>
#include <new>

#include <keos/ring_buffer.hpp>
#include <keos/sync/spinlock.hpp>
#include <keos/sync/wait_queue.hpp>

namespace keos {

class Pipe {
 public:
  struct State {
    RingBuffer<kPipeCapacity> buffer;
    int readers = 0;  // handles to the read end
    int writers = 0;  // handles to the write end
  };
  SpinLock<State> state;
  WaitQueue readable;  // readers wait here for data or for the last writer to go
  WaitQueue writable;  // writers wait here for room or for the last reader to go
  std::atomic<int> handles{0};  // keeps the pipe alive; the last handle frees it

  // Adds a handle to `end`.
  void open(int State::*end) {
    handles.fetch_add(1, std::memory_order_relaxed);
    ++((*state.lock()).*end);
  }
  // Drops a handle of `end`, wakes the other side (it may now see the end closed), and
  // frees the pipe with its last handle.
  void close(int State::*end, WaitQueue& other_side) {
    --((*state.lock()).*end);
    other_side.wake_all();
    if (handles.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }
};

Result<PipeEnds> make_pipe() {
  auto* pipe = new (std::nothrow) Pipe;
  if (pipe == nullptr) return Err(KernelError::kNoMemory);
  pipe->open(&Pipe::State::readers);
  pipe->open(&Pipe::State::writers);
  return PipeEnds{PipeReader(pipe), PipeWriter(pipe)};
}

PipeReader::~PipeReader() {
  if (pipe_ != nullptr) pipe_->close(&Pipe::State::readers, pipe_->writable);
}

PipeReader PipeReader::clone() const {
  pipe_->open(&Pipe::State::readers);
  return PipeReader(pipe_);
}

Result<std::size_t> PipeReader::read(void* dst, std::size_t len) {
  if (len == 0) return std::size_t{0};
  std::size_t n = 0;
  pipe_->readable.wait_until([&] {
    auto s = pipe_->state.lock();
    n = s->buffer.read(static_cast<std::uint8_t*>(dst), len);
    return n != 0 || s->writers == 0;
  });
  if (n == 0) return Err(KernelError::kBrokenPipe);  // drained, no writer (or killed)
  pipe_->writable.wake_all();
  return n;
}

PipeWriter::~PipeWriter() {
  if (pipe_ != nullptr) pipe_->close(&Pipe::State::writers, pipe_->readable);
}

PipeWriter PipeWriter::clone() const {
  pipe_->open(&Pipe::State::writers);
  return PipeWriter(pipe_);
}

Result<std::size_t> PipeWriter::write(const void* src, std::size_t len) {
  const auto* bytes = static_cast<const std::uint8_t*>(src);
  std::size_t done = 0;
  while (done < len) {
    bool no_reader = false;
    bool woken = pipe_->writable.wait_until([&] {
      auto s = pipe_->state.lock();
      if (s->readers == 0) {
        no_reader = true;
        return true;
      }
      std::size_t n = s->buffer.write(bytes + done, len - done);
      done += n;
      return n != 0;
    });
    pipe_->readable.wake_all();
    if (no_reader || !woken) {
      if (done == 0) return Err(KernelError::kBrokenPipe);
      return done;
    }
  }
  return done;
}

}  // namespace keos
