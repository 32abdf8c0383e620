// The kernel's UndefinedBehaviorSanitizer runtime (`make SAN=1`): the compiler calls one
// of these handlers where a check failed; each prints what went wrong and where
// (file:line:column) and panics, so a sanitized test run stops at the first report. The
// handlers take the compiler's descriptor records, of which only the leading source
// location is read. This file itself is compiled without instrumentation (abyss.mk), and
// in normal builds nothing calls it.
#include <cstdint>

#include <abyss/panic.hpp>

namespace {

struct SourceLocation {
  const char* file;
  std::uint32_t line;
  std::uint32_t column;
};

// Every descriptor the compiler passes starts with the location of the failed check.
struct Descriptor {
  SourceLocation location;
};

[[noreturn]] void report(const char* kind, const void* data) {
  const SourceLocation& at = static_cast<const Descriptor*>(data)->location;
  abyss::panic("UBSan: %s at %s:%u:%u", kind, at.file != nullptr ? at.file : "?", at.line,
               at.column);
}

// A type mismatch covers null, misaligned and too-small accesses; the pointer tells which.
struct TypeMismatch {
  SourceLocation location;
  const void* type;
  std::uint8_t log_alignment;
  std::uint8_t kind;
};

[[noreturn]] void type_mismatch(const void* data, std::uintptr_t pointer) {
  const auto* d = static_cast<const TypeMismatch*>(data);
  std::uintptr_t align = std::uintptr_t{1} << d->log_alignment;
  const char* what = pointer == 0                         ? "null pointer access"
                     : (align > 1 && pointer % align != 0) ? "misaligned access"
                                                           : "access to too small an object";
  abyss::panic("UBSan: %s (address 0x%lx) at %s:%u:%u", what, pointer, d->location.file,
               d->location.line, d->location.column);
}

}  // namespace

// Each check has a recoverable and an _abort variant (-fno-sanitize-recover); both stop.
#define KEOS_UBSAN_HANDLER(name, kind, ...)                                    \
  extern "C" [[noreturn]] void __ubsan_handle_##name(const void* data, ...) { \
    report(kind, data);                                                        \
  }                                                                            \
  extern "C" [[noreturn]] void __ubsan_handle_##name##_abort(const void* data, ...) { \
    report(kind, data);                                                        \
  }

KEOS_UBSAN_HANDLER(add_overflow, "signed addition overflow")
KEOS_UBSAN_HANDLER(sub_overflow, "signed subtraction overflow")
KEOS_UBSAN_HANDLER(mul_overflow, "signed multiplication overflow")
KEOS_UBSAN_HANDLER(negate_overflow, "signed negation overflow")
KEOS_UBSAN_HANDLER(divrem_overflow, "division overflow or by zero")
KEOS_UBSAN_HANDLER(shift_out_of_bounds, "shift out of bounds")
KEOS_UBSAN_HANDLER(out_of_bounds, "array index out of bounds")
KEOS_UBSAN_HANDLER(pointer_overflow, "pointer arithmetic overflow")
KEOS_UBSAN_HANDLER(load_invalid_value, "load of an invalid bool or enum value")
KEOS_UBSAN_HANDLER(vla_bound_not_positive, "variable-length array bound not positive")
KEOS_UBSAN_HANDLER(nonnull_arg, "null passed as a nonnull argument")
KEOS_UBSAN_HANDLER(nonnull_return_v1, "null returned from a returns_nonnull function")
KEOS_UBSAN_HANDLER(invalid_builtin, "invalid argument to a builtin")
KEOS_UBSAN_HANDLER(float_cast_overflow, "float conversion overflow")

extern "C" [[noreturn]] void __ubsan_handle_type_mismatch_v1(const void* data,
                                                             std::uintptr_t pointer) {
  type_mismatch(data, pointer);
}
extern "C" [[noreturn]] void __ubsan_handle_type_mismatch_v1_abort(const void* data,
                                                                   std::uintptr_t pointer) {
  type_mismatch(data, pointer);
}
extern "C" [[noreturn]] void __ubsan_handle_builtin_unreachable(const void* data) {
  report("__builtin_unreachable() reached", data);
}
extern "C" [[noreturn]] void __ubsan_handle_missing_return(const void* data) {
  report("end of a value-returning function reached", data);
}
