// Status and Result for setup calls: errors are values at the edges, never exceptions, and the
// real-time tick never produces them (a failing source there counts as silent).
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace tutti {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller's input is wrong (unknown rate, bad name, ...)
  kNotFound,            // no such room or participant
  kResourceExhausted,   // a preallocated pool or a room is full
  kUnavailable,         // try again later (command queue full)
  kFailedPrecondition,  // wrong state (already running, room ended, ...)
  kInternal,
  kPermissionDenied,  // the caller may not do this (a room that does not record, ...)
};

const char* status_code_name(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status ok() { return {}; }

  bool is_ok() const { return code_ == StatusCode::kOk; }
  explicit operator bool() const { return is_ok(); }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid_argument: sample_rate_hz must be 8000, 16000 or 48000 (got 44100)"
  std::string to_string() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool is_ok() const { return value_.has_value(); }
  explicit operator bool() const { return is_ok(); }
  const Status& status() const { return status_; }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace tutti
