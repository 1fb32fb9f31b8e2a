// Bounded multi-producer queue (D. Vyukov's sequence-per-cell design), lock-free.
//
// Design: a power-of-two array of cells, each with a sequence number. A producer claims a
// position with a CAS on enqueue_pos_, writes the cell, then publishes it by storing
// sequence = pos + 1 (release). The consumer reads a cell once its sequence says it is full
// (acquire), then hands it back with sequence = pos + capacity. Producers never wait for each
// other except to retry a lost CAS; a full queue makes try_push fail, never spin.
// Used for control -> tick commands (many control threads, one tick) and for tick -> control
// events (parallel room tasks, one poller). With one consumer, dequeue_pos_ needs no CAS, but
// the consumer may be any one thread at a time (the caller serializes pollers).
// Construction allocates; try_push and try_pop are real-time safe for trivially copyable T.
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <memory>
#include <type_traits>

#include "spsc_ring.h"

namespace tutti::detail {

template <typename T>
class MpscQueue {
  static_assert(std::is_trivially_copyable_v<T>, "cells are copied by value on the tick");

 public:
  explicit MpscQueue(std::size_t min_capacity)
      : mask_(std::bit_ceil(min_capacity < 2 ? 2 : min_capacity) - 1),
        cells_(std::make_unique<Cell[]>(mask_ + 1)) {
    for (std::size_t i = 0; i <= mask_; ++i) cells_[i].sequence.store(i, std::memory_order_relaxed);
  }
  MpscQueue(const MpscQueue&) = delete;
  MpscQueue& operator=(const MpscQueue&) = delete;

  std::size_t capacity() const noexcept { return mask_ + 1; }

  // Any thread. False when full.
  bool try_push(const T& value) noexcept {
    std::size_t pos = enqueue_pos_.load(std::memory_order_relaxed);
    for (;;) {
      Cell& cell = cells_[pos & mask_];
      const std::size_t seq = cell.sequence.load(std::memory_order_acquire);
      const auto diff = static_cast<std::ptrdiff_t>(seq) - static_cast<std::ptrdiff_t>(pos);
      if (diff == 0) {
        if (enqueue_pos_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) {
          cell.value = value;
          cell.sequence.store(pos + 1, std::memory_order_release);
          return true;
        }
      } else if (diff < 0) {
        return false;  // full
      } else {
        pos = enqueue_pos_.load(std::memory_order_relaxed);
      }
    }
  }

  // The single consumer. False when empty (or the next cell is still being written).
  bool try_pop(T& out) noexcept {
    const std::size_t pos = dequeue_pos_.load(std::memory_order_relaxed);
    Cell& cell = cells_[pos & mask_];
    const std::size_t seq = cell.sequence.load(std::memory_order_acquire);
    if (static_cast<std::ptrdiff_t>(seq) - static_cast<std::ptrdiff_t>(pos + 1) < 0) return false;
    out = cell.value;
    cell.sequence.store(pos + mask_ + 1, std::memory_order_release);
    dequeue_pos_.store(pos + 1, std::memory_order_relaxed);
    return true;
  }

 private:
  struct Cell {
    std::atomic<std::size_t> sequence{0};
    T value{};
  };

  const std::size_t mask_;
  std::unique_ptr<Cell[]> cells_;
  alignas(kCacheLine) std::atomic<std::size_t> enqueue_pos_{0};
  alignas(kCacheLine) std::atomic<std::size_t> dequeue_pos_{0};
  char pad_[kCacheLine - sizeof(std::size_t)] = {};
};

}  // namespace tutti::detail
