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

/// Why a kernel operation failed. The values are the ABI's errno numbers.
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
  KernelError error;  ///< the error to carry
  /// Wraps `e`.
  constexpr explicit Err(KernelError e) : error(e) {}
};

/// A T or a KernelError (see the file comment). Move-only. `[[nodiscard]]`: an ignored
/// Result is a compile error, so no failure goes unnoticed. Reading the wrong alternative
/// (value() of an error, error() of a value) is a kernel bug and panics.
template <class T>
class [[nodiscard]] Result {
 public:
  /// A success holding a copy of `value`.
  Result(const T& value) : ok_(true), value_(value) {}
  /// A success holding `value` (moved in).
  Result(T&& value) : ok_(true), value_(std::move(value)) {}
  /// A failure: `return Err(KernelError::kNoMemory);`.
  Result(Err err) : ok_(false), error_(err.error) {}
  /// Takes over `other`'s value or error.
  Result(Result&& other) : ok_(other.ok_), error_(other.error_) {
    if (ok_) new (&value_) T(std::move(other.value_));
  }
  /// For a trivially copyable value the move and the destructor are trivial too, so a
  /// Result<Pa> or Result<std::uint64_t> is returned in registers, not through memory.
  Result(Result&& other) requires std::is_trivially_copyable_v<T>
  = default;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  Result& operator=(Result&&) = delete;
  /// Destroys the value, if there is one.
  ~Result() {
    if (ok_) value_.~T();
  }
  ~Result() requires std::is_trivially_destructible_v<T>
  = default;

  /// True if the Result holds a value.
  bool is_ok() const { return ok_; }
  /// True if the Result holds an error.
  bool is_err() const { return !ok_; }
  /// is_ok(), for `if (result)`.
  explicit operator bool() const { return ok_; }

  /// The error (the Result must hold one).
  KernelError error() const {
    KASSERT(!ok_);
    return error_;
  }
  /// The value, in place (the Result must hold one).
  T& value() & {
    KASSERT(ok_);
    return value_;
  }
  /// The value, read-only, in place (the Result must hold one).
  const T& value() const& {
    KASSERT(ok_);
    return value_;
  }
  /// Moves the value out (the Result must hold one).
  T take() {
    KASSERT(ok_);
    return std::move(value_);
  }

 private:
  bool ok_;
  KernelError error_ = KernelError::kInvalidArgument;
  // A union member rather than raw bytes: the compiler can keep a small value in
  // registers through a TRY() instead of on the stack. Alive exactly when ok_.
  union {
    T value_;
  };
};

// GCC builds the kernel and checks this. clang before 16 lacks conditionally trivial
// special members (C++20's P0848), so clangd 14 (Debian 12's), which editors use on this
// tree (make compdb), would report it as an error that GCC does not have.
#if !defined(__clang__) || __clang_major__ >= 16
static_assert(std::is_trivially_copyable_v<Result<int>>, "returned in registers");
#endif

/// Success or a KernelError, for operations with no value to return.
template <>
class [[nodiscard]] Result<void> {
 public:
  /// A success (see also Ok()).
  Result() : ok_(true) {}
  /// A failure: `return Err(KernelError::kNoMemory);`.
  Result(Err err) : ok_(false), error_(err.error) {}

  /// True on success.
  bool is_ok() const { return ok_; }
  /// True on failure.
  bool is_err() const { return !ok_; }
  /// is_ok(), for `if (result)`.
  explicit operator bool() const { return ok_; }
  /// The error (the Result must hold one).
  KernelError error() const {
    KASSERT(!ok_);
    return error_;
  }
  /// Asserts success (what TRY() calls; there is no value to take).
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
