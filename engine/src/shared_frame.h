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

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

namespace tutti::detail {

// 48 kHz x 20 ms of int16 mono; also bounds an encoded payload (Opus: at most 1275 bytes).
inline constexpr std::size_t kMaxFrameSamples = 960;
inline constexpr std::size_t kMaxFrameBytes = kMaxFrameSamples * sizeof(int16_t);

class SharedFrame {
 public:
  static constexpr uint64_t kWriting = std::numeric_limits<uint64_t>::max();
  static constexpr std::size_t kWords = kMaxFrameBytes / sizeof(uint64_t);

  // Writer (tick). bytes <= kMaxFrameBytes: PCM samples or one encoded payload.
  void publish(uint64_t tick, const void* data, std::size_t bytes) noexcept {
    stamp_.store(kWriting, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_release);
    const auto* src = static_cast<const unsigned char*>(data);
    const std::size_t full = bytes / sizeof(uint64_t);
    for (std::size_t i = 0; i < full; ++i) {
      uint64_t w;
      std::memcpy(&w, src + i * sizeof w, sizeof w);
      words_[i].store(w, std::memory_order_relaxed);
    }
    if (const std::size_t rest = bytes % sizeof(uint64_t); rest != 0) {
      uint64_t w = 0;
      std::memcpy(&w, src + full * sizeof w, rest);
      words_[full].store(w, std::memory_order_relaxed);
    }
    bytes_.store(static_cast<uint32_t>(bytes), std::memory_order_relaxed);
    stamp_.store(tick, std::memory_order_release);
  }
  void publish(uint64_t tick, const int16_t* pcm, std::size_t samples) noexcept {
    publish(tick, static_cast<const void*>(pcm), samples * sizeof(int16_t));
  }

  static constexpr std::size_t kStale = std::numeric_limits<std::size_t>::max();

  // Reader (any thread). Returns bytes copied (0 is a valid, empty payload), or kStale when the
  // slot no longer holds `tick` or the frame does not fit.
  std::size_t read(uint64_t tick, void* dst, std::size_t capacity_bytes) const noexcept {
    if (stamp_.load(std::memory_order_acquire) != tick) return kStale;
    const std::size_t bytes = bytes_.load(std::memory_order_relaxed);
    if (bytes > capacity_bytes) return kStale;
    auto* out = static_cast<unsigned char*>(dst);
    const std::size_t words = (bytes + sizeof(uint64_t) - 1) / sizeof(uint64_t);
    for (std::size_t i = 0; i < words; ++i) {
      const uint64_t w = words_[i].load(std::memory_order_relaxed);
      std::memcpy(out + i * sizeof w, &w, std::min(sizeof w, bytes - i * sizeof w));
    }
    std::atomic_thread_fence(std::memory_order_acquire);
    return stamp_.load(std::memory_order_relaxed) == tick ? bytes : kStale;
  }

 private:
  std::atomic<uint64_t> stamp_{kWriting};
  std::atomic<uint32_t> bytes_{0};
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
