#include <keos/result.hpp>

namespace keos {

const char* error_name(KernelError e) {
  switch (e) {
    case KernelError::kPermissionDenied: return "operation not permitted";
    case KernelError::kNoSuchEntry: return "no such file or directory";
    case KernelError::kIoError: return "input/output error";
    case KernelError::kNoExec: return "exec format error";
    case KernelError::kBadFileDescriptor: return "bad file descriptor";
    case KernelError::kNoMemory: return "out of memory";
    case KernelError::kAccessDenied: return "permission denied";
    case KernelError::kBadAddress: return "bad address";
    case KernelError::kBusy: return "device or resource busy";
    case KernelError::kExists: return "file exists";
    case KernelError::kNotDirectory: return "not a directory";
    case KernelError::kIsDirectory: return "is a directory";
    case KernelError::kInvalidArgument: return "invalid argument";
    case KernelError::kTooManyFiles: return "too many open files";
    case KernelError::kNoSpace: return "no space left on device";
    case KernelError::kBrokenPipe: return "broken pipe";
    case KernelError::kNameTooLong: return "file name too long";
    case KernelError::kNoSys: return "function not implemented";
  }
  return "unknown error";
}

}  // namespace keos
