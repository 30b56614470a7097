#include "util/result.h"

#include <cerrno>
#include <cstring>

namespace swaptab {

int exit_code_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUsage:
      return 2;
    case ErrorKind::kNotLoaded:
      return 3;
    case ErrorKind::kPermission:
      return 4;
    case ErrorKind::kNotFound:
      return 5;
    case ErrorKind::kBusy:
      return 6;
    case ErrorKind::kKernel:
    case ErrorKind::kSystem:
    case ErrorKind::kParse:
      return 1;
  }
  return 1;
}

Error error_from_errno(int err, const std::string& what, const std::string& extack) {
  Error e;
  e.err = err;
  std::string text = what;
  if (!extack.empty()) {
    text += ": " + extack;
  } else {
    text += ": " + std::string(std::strerror(err));
  }
  switch (err) {
    case EPERM:
    case EACCES:
      e.kind = ErrorKind::kPermission;
      if (text.find("CAP_SYS_ADMIN") == std::string::npos) {
        text += " (this needs root or CAP_SYS_ADMIN)";
      }
      break;
    case ENODEV:
      e.kind = ErrorKind::kNotFound;
      break;
    case ENOENT:
      // From the kernel with a message it is a refusal (e.g. an unknown algorithm).
      e.kind = extack.empty() ? ErrorKind::kNotFound : ErrorKind::kKernel;
      break;
    case EBUSY:
      e.kind = ErrorKind::kBusy;
      if (extack.empty()) {
        text += " (the device is open, e.g. swapped on: swapoff it first or use --swapoff)";
      }
      break;
    default:
      e.kind = extack.empty() ? ErrorKind::kSystem : ErrorKind::kKernel;
      break;
  }
  e.message = std::move(text);
  return e;
}

}  // namespace swaptab
