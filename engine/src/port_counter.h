// Counters on the real-time path.
#pragma once

#include <atomic>
#include <cstdint>

namespace tutti::detail {

// A counter with one writing thread and any number of readers: no read-modify-write needed.
class Counter {
 public:
  void add(uint64_t n = 1) noexcept {
    value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  uint64_t get() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

}  // namespace tutti::detail
