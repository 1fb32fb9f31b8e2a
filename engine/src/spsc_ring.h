// Bounded single-producer single-consumer ring, lock-free and wait-free.
//
// Design: one slot array of capacity + 1 (one slot stays empty to tell full from empty).
// write_ is stored only by the producer, read_ only by the consumer, each on its own cache line
// with a cached copy of the other index, so a push or pop touches the other side's line only
// when the cached value says the ring looks full (or empty).
// Memory order: the producer writes the slot, then write_.store(release); the consumer's
// write_.load(acquire) makes the slot visible. Symmetrically read_ hands slots back.
// Slots are written in place (try_prepare_push/commit_push, front/pop) so large frames are not
// copied twice. Construction allocates; every other call is real-time safe.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>

namespace tutti::detail {

inline constexpr std::size_t kCacheLine = 64;

template <typename T>
class SpscRing {
  static_assert(std::is_default_constructible_v<T>, "slots are constructed up front");

 public:
  explicit SpscRing(std::size_t capacity)
      : slots_count_(capacity + 1), slots_(std::make_unique<T[]>(capacity + 1)) {}
  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;

  std::size_t capacity() const noexcept { return slots_count_ - 1; }

  // Producer: a slot to fill, or nullptr when full. Publish it with commit_push().
  T* try_prepare_push() noexcept {
    const std::size_t w = write_.load(std::memory_order_relaxed);
    const std::size_t next = advance(w);
    if (next == read_cached_) {
      read_cached_ = read_.load(std::memory_order_acquire);
      if (next == read_cached_) return nullptr;
    }
    return &slots_[w];
  }
  void commit_push() noexcept {
    write_.store(advance(write_.load(std::memory_order_relaxed)), std::memory_order_release);
  }
  bool try_push(const T& value) noexcept(std::is_nothrow_copy_assignable_v<T>) {
    T* slot = try_prepare_push();
    if (slot == nullptr) return false;
    *slot = value;
    commit_push();
    return true;
  }

  // Consumer: the oldest slot, or nullptr when empty. Release it with pop().
  T* front() noexcept {
    const std::size_t r = read_.load(std::memory_order_relaxed);
    if (r == write_cached_) {
      write_cached_ = write_.load(std::memory_order_acquire);
      if (r == write_cached_) return nullptr;
    }
    return &slots_[r];
  }
  void pop() noexcept {
    read_.store(advance(read_.load(std::memory_order_relaxed)), std::memory_order_release);
  }
  bool try_pop(T& out) noexcept(std::is_nothrow_copy_assignable_v<T>) {
    T* slot = front();
    if (slot == nullptr) return false;
    out = *slot;
    pop();
    return true;
  }

  // Any thread; exact only when both sides are idle.
  std::size_t size_approx() const noexcept {
    const std::size_t w = write_.load(std::memory_order_acquire);
    const std::size_t r = read_.load(std::memory_order_acquire);
    return w >= r ? w - r : w + slots_count_ - r;
  }

 private:
  std::size_t advance(std::size_t i) const noexcept { return i + 1 == slots_count_ ? 0 : i + 1; }

  const std::size_t slots_count_;
  std::unique_ptr<T[]> slots_;
  alignas(kCacheLine) std::atomic<std::size_t> write_{0};
  std::size_t read_cached_ = 0;  // producer's view of read_
  alignas(kCacheLine) std::atomic<std::size_t> read_{0};
  std::size_t write_cached_ = 0;  // consumer's view of write_
  char pad_[kCacheLine - sizeof(std::size_t)] = {};
};

}  // namespace tutti::detail
