// A mixed frame that many listeners read without copies or reference counts.
//
// Design: the tick writes a frame into a slot and stamps it with the tick number; listeners'
// output queues hold (slot, tick) references, and the network thread copies the samples out
// when it sends. Slots are reused round-robin after a fixed number of ticks, so a reader that
// falls that far behind must notice rather than read a torn frame: this is a seqlock.
// Writer (the one tick that owns the slot): stamp := kWriting (relaxed), release fence,
// samples (relaxed atomics), stamp := tick (release).
// Reader: stamp == tick? (acquire), copy samples (relaxed), acquire fence, stamp still == tick?
// Samples are 64-bit atomic words so there is no data race even when the reader loses;
// on x86-64 and AArch64 relaxed word loads and stores are plain moves.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

namespace tutti::detail {

// 48 kHz x 20 ms of int16 mono.
inline constexpr std::size_t kMaxFrameSamples = 960;

class SharedFrame {
 public:
  static constexpr uint64_t kWriting = std::numeric_limits<uint64_t>::max();
  static constexpr std::size_t kWords = kMaxFrameSamples * sizeof(int16_t) / sizeof(uint64_t);

  // Writer (tick). samples <= kMaxFrameSamples, a multiple of 4.
  void publish(uint64_t tick, const int16_t* pcm, std::size_t samples) noexcept {
    stamp_.store(kWriting, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_release);
    const std::size_t words = samples / 4;
    for (std::size_t i = 0; i < words; ++i) {
      uint64_t w;
      std::memcpy(&w, pcm + 4 * i, sizeof w);
      words_[i].store(w, std::memory_order_relaxed);
    }
    samples_.store(static_cast<uint32_t>(samples), std::memory_order_relaxed);
    stamp_.store(tick, std::memory_order_release);
  }

  // Reader (any thread). Returns samples copied, or 0 when the slot no longer holds `tick`.
  std::size_t read(uint64_t tick, int16_t* pcm, std::size_t capacity) const noexcept {
    if (stamp_.load(std::memory_order_acquire) != tick) return 0;
    const std::size_t samples = samples_.load(std::memory_order_relaxed);
    if (samples > capacity) return 0;
    for (std::size_t i = 0; i < samples / 4; ++i) {
      const uint64_t w = words_[i].load(std::memory_order_relaxed);
      std::memcpy(pcm + 4 * i, &w, sizeof w);
    }
    std::atomic_thread_fence(std::memory_order_acquire);
    return stamp_.load(std::memory_order_relaxed) == tick ? samples : 0;
  }

 private:
  std::atomic<uint64_t> stamp_{kWriting};
  std::atomic<uint32_t> samples_{0};
  std::atomic<uint64_t> words_[kWords] = {};
};

// Slots a frame stays readable for: a listener may be this many ticks behind before its
// frame is reported stale. Larger than any output queue, so only a stalled reader loses.
inline constexpr std::size_t kFrameSlots = 8;

// What an output queue holds: which slot, and which tick's frame the slot must still hold.
// frame == nullptr means silence (deaf, alone, nothing mixed).
struct OutputRef {
  const SharedFrame* frame = nullptr;
  uint64_t tick = 0;
};

}  // namespace tutti::detail
