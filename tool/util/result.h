// Errors carried across layers as values: every fallible function returns
// Result<T> (or Status), and only main() turns an Error into text and an exit code.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace swaptab {

// What went wrong, at the granularity main() needs to pick an exit code.
enum class ErrorKind {
  kUsage,       // bad arguments: exit 2
  kNotLoaded,   // the swaptab genetlink family is missing: exit 3
  kPermission,  // EPERM/EACCES: exit 4
  kNotFound,    // no such device: exit 5
  kBusy,        // EBUSY: exit 6
  kKernel,      // the kernel refused a request (with its extack text): exit 1
  kSystem,      // a system call or file read failed: exit 1
  kParse,       // a malformed netlink reply or file: exit 1
};

struct Error {
  ErrorKind kind = ErrorKind::kSystem;
  int err = 0;          // errno, when there is one
  std::string message;  // complete, human-readable sentence fragment
};

int exit_code_for(ErrorKind kind);

// Builds the most specific Error for an errno, keeping any kernel extack text.
Error error_from_errno(int err, const std::string& what, const std::string& extack = {});

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<Error>(v_); }
  Error&& take_error() { return std::get<Error>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;

inline Status ok_status() {
  return Ok{};
}

inline Error make_error(ErrorKind kind, std::string message, int err = 0) {
  return Error{kind, err, std::move(message)};
}

}  // namespace swaptab
