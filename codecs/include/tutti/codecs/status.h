// Tick-safe: ok(), code(), error_return() and reading a Status or Result.
// Not tick-safe: building an error Status (its message allocates); only setup calls do that.
//
// Status and Result<T>: how setup calls in tutti report failure (no exceptions cross the API).
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace tutti::codecs {

// Library error codes are mapped onto these at each wrapper. Real-time process calls that fail
// return the negated code as an int (e.g. -static_cast<int>(ErrorCode::kCorruptData)).
enum class ErrorCode : int {
  kOk = 0,
  kInvalidArgument = 1,  // bad rate, frame size, buffer too small, …
  kUnsupported = 2,      // codec / rate / channel combination not offered
  kNotFound = 3,         // file or registry entry missing
  kIoError = 4,          // read failed, truncated file
  kCorruptData = 5,      // undecodable payload or file contents
  kLibraryError = 6,     // an outside library failed in a way we do not map more finely
};

// Negative return value used by real-time calls (encode/decode) for `code`.
constexpr int error_return(ErrorCode code) { return -static_cast<int>(code); }

const char* to_string(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status success() { return {}; }

  bool ok() const { return code_ == ErrorCode::kOk; }
  explicit operator bool() const { return ok(); }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

// A value or an error Status. Accessing value() of an error Result is a programming error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {}  // NOLINT(google-explicit-constructor)
  Result(ErrorCode code, std::string message) : status_(code, std::move(message)) {}

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Status& status() const { return status_; }

  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace tutti::codecs
