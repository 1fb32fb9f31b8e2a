// Parsed<T, E>: the value a wire parser produced, or the error enum that says why there is none.
// A tiny stand-in for std::expected (C++23): no allocation, no exceptions, so parsers stay usable
// on real-time threads.
#pragma once

#include <optional>
#include <utility>

namespace tutti::rtp {

template <typename T, typename E>
class [[nodiscard]] Parsed {
 public:
  Parsed(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Parsed(E error) : error_(error) {}             // NOLINT: implicit by design

  bool is_ok() const { return value_.has_value(); }
  explicit operator bool() const { return is_ok(); }
  // Meaningful only when !is_ok().
  E error() const { return error_; }
  const T& value() const { return *value_; }
  const T& operator*() const { return *value_; }
  const T* operator->() const { return &*value_; }

 private:
  std::optional<T> value_;
  E error_{};
};

}  // namespace tutti::rtp
