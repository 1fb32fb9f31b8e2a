// Digits detected by the media threads, waiting for the control thread's poll_dtmf().
//
// Several media threads produce and one control thread consumes, rarely (a few digits a
// second), so a fixed ring under a mutex is enough: the lock is held for a copy of a few bytes
// on either side, nothing allocates, and a full ring drops the newest digit and counts it.
//
// Threads: push from any media thread, pop from the control thread.
#pragma once

#include <array>
#include <cstddef>
#include <mutex>
#include <span>

#include "tutti/media/media_hub.h"

namespace tutti::media::detail {

class DtmfInbox {
 public:
  static constexpr std::size_t kCapacity = 256;

  // Media thread. False (and counted) when the ring is full.
  bool push(const DtmfEvent& event) {
    std::lock_guard lock(mutex_);
    if (count_ == kCapacity) {
      ++dropped_;
      return false;
    }
    ring_[(head_ + count_) % kCapacity] = event;
    ++count_;
    return true;
  }

  // Control thread: moves up to out.size() digits out, oldest first.
  std::size_t pop(std::span<DtmfEvent> out) {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (; n < out.size() && count_ > 0; ++n, --count_) {
      out[n] = ring_[head_];
      head_ = (head_ + 1) % kCapacity;
    }
    return n;
  }

 private:
  std::mutex mutex_;
  std::array<DtmfEvent, kCapacity> ring_{};
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  std::size_t dropped_ = 0;
};

}  // namespace tutti::media::detail
