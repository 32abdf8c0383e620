/// \file
/// Result<T>: a value of type T or a KernelError. Kernel functions that can fail return one
/// (never a sentinel, never an exception); `TRY(expr)` returns the error to the caller.
/// KernelError values are the errno numbers of the system-call ABI; they become negative
/// only where a system call's return value is written into RAX.
#pragma once

#include <new>
#include <type_traits>
#include <utility>

#include <abyss/panic.hpp>

namespace keos {

enum class KernelError : int {
  kPermissionDenied = 1,   ///< EPERM
  kNoSuchEntry = 2,        ///< ENOENT
  kIoError = 5,            ///< EIO
  kNoExec = 8,             ///< ENOEXEC
  kBadFileDescriptor = 9,  ///< EBADF
  kNoMemory = 12,          ///< ENOMEM
  kAccessDenied = 13,      ///< EACCES
  kBadAddress = 14,        ///< EFAULT
  kBusy = 16,              ///< EBUSY
  kExists = 17,            ///< EEXIST
  kNotDirectory = 20,      ///< ENOTDIR
  kIsDirectory = 21,       ///< EISDIR
  kInvalidArgument = 22,   ///< EINVAL
  kTooManyFiles = 24,      ///< EMFILE
  kNoSpace = 28,           ///< ENOSPC
  kBrokenPipe = 32,        ///< EPIPE
  kNameTooLong = 36,       ///< ENAMETOOLONG
  kNoSys = 38,             ///< ENOSYS
};

/// The errno number of an error (positive).
constexpr int errno_of(KernelError e) { return static_cast<int>(e); }
/// A short description, e.g. "out of memory".
const char* error_name(KernelError e);

/// The error alternative of a Result, to construct one: `return Err(KernelError::kNoMemory);`
struct Err {
  KernelError error;
  constexpr explicit Err(KernelError e) : error(e) {}
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(const T& value) : ok_(true) { new (&storage_) T(value); }
  Result(T&& value) : ok_(true) { new (&storage_) T(std::move(value)); }
  Result(Err err) : ok_(false), error_(err.error) {}
  Result(Result&& other) : ok_(other.ok_), error_(other.error_) {
    if (ok_) new (&storage_) T(std::move(other.value_ref()));
  }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  Result& operator=(Result&&) = delete;
  ~Result() {
    if (ok_) value_ref().~T();
  }

  bool is_ok() const { return ok_; }
  bool is_err() const { return !ok_; }
  explicit operator bool() const { return ok_; }

  KernelError error() const {
    KASSERT(!ok_);
    return error_;
  }
  T& value() & {
    KASSERT(ok_);
    return value_ref();
  }
  const T& value() const& {
    KASSERT(ok_);
    return value_ref();
  }
  /// Moves the value out (the Result must hold one).
  T take() {
    KASSERT(ok_);
    return std::move(value_ref());
  }

 private:
  T& value_ref() { return *std::launder(reinterpret_cast<T*>(&storage_)); }
  const T& value_ref() const { return *std::launder(reinterpret_cast<const T*>(&storage_)); }

  bool ok_;
  KernelError error_ = KernelError::kInvalidArgument;
  alignas(T) unsigned char storage_[sizeof(T)];
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() : ok_(true) {}
  Result(Err err) : ok_(false), error_(err.error) {}

  bool is_ok() const { return ok_; }
  bool is_err() const { return !ok_; }
  explicit operator bool() const { return ok_; }
  KernelError error() const {
    KASSERT(!ok_);
    return error_;
  }
  void take() { KASSERT(ok_); }

 private:
  bool ok_;
  KernelError error_ = KernelError::kInvalidArgument;
};

/// An empty success, for `return Ok();` in functions returning Result<void>.
inline Result<void> Ok() { return {}; }

}  // namespace keos

/// Evaluates `expr` (a Result); on error returns the error from the enclosing function,
/// otherwise yields the value.
#define TRY(expr)                                   \
  ({                                                \
    auto keos_try_result_ = (expr);                 \
    if (keos_try_result_.is_err()) {                \
      return ::keos::Err(keos_try_result_.error()); \
    }                                               \
    keos_try_result_.take();                        \
  })
