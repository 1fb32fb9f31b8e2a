// One participant inside the engine: the queues shared with the host's network threads, and
// the state only the tick touches.
//
// Threads: the producer thread of the host calls try_push_input; the consumer thread calls
// try_pull_output; the tick owns everything under "tick state" and the private frames' writes.
// A Port is created on the control plane, used by the tick through a raw pointer while it is a
// member of a room, and retired back to the control plane, which drops the last engine
// reference; the host's ParticipantLink may keep it alive longer (calls then just find nothing).
#pragma once

#include <atomic>
#include <cstdint>
#include <span>

#include "shared_frame.h"
#include "spsc_ring.h"
#include "talk_detector.h"
#include "tutti/engine.h"

namespace tutti::detail {

struct InputFrame {
  uint32_t samples = 0;
  // Mean of x^2 (x in [-1, 1]), measured by the pushing thread while the samples are hot in
  // its cache: the tick then reads one float per listener instead of the whole frame.
  float mean_square = 0.0f;
  int16_t pcm[kMaxFrameSamples];
};

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

class Port {
 public:
  Port(ParticipantId id, RoomId room, const ParticipantConfig& config, std::size_t frame_samples,
       std::size_t input_frames, std::size_t output_frames);

  // Host plane (see ParticipantLink).
  bool try_push_input(std::span<const int16_t> pcm) noexcept;
  std::size_t try_pull_output(std::span<int16_t> pcm) noexcept;
  LinkCounters counters() const noexcept;

  ParticipantId id() const noexcept { return id_; }
  RoomId room() const noexcept { return room_; }
  std::size_t frame_samples() const noexcept { return frame_samples_; }

  // Tick plane: queues and this participant's own output frames.
  SpscRing<InputFrame>& input() noexcept { return input_; }
  bool push_output(OutputRef ref) noexcept;
  SharedFrame& private_frame(uint64_t tick) noexcept { return private_frames_[tick % kFrameSlots]; }
  void count_missing_input() noexcept { input_missing_.add(); }

  // Tick state (written by the tick only; set before the port is handed over).
  struct TickState {
    bool muted = false;
    bool deaf = false;
    float gain_in = 1.0f;           // target input gain (linear)
    float gain_out = 1.0f;          // target output gain (linear)
    float mix_gain_applied = 0.0f;  // input gain x mix weight reached at the end of last frame
    float out_gain_applied = 1.0f;  // output gain reached at the end of last frame
    TalkDetector talk;
    const InputFrame* frame = nullptr;  // this tick's input, or nullptr
    float mean_square = 0.0f;           // this tick's input energy
    bool selected = false;              // chosen as a speaker this tick
    bool mixed = false;                 // in S this tick (speaker or fading out)
    int matrix_index = -1;              // row/column in a matrix room
  } state;

 private:
  const ParticipantId id_;
  const RoomId room_;
  const std::size_t frame_samples_;
  SpscRing<InputFrame> input_;
  SpscRing<OutputRef> output_;
  SharedFrame private_frames_[kFrameSlots];
  Counter input_frames_, input_dropped_;    // producer thread
  Counter input_missing_, output_dropped_;  // tick
  Counter output_frames_, output_stale_;    // consumer thread
};

}  // namespace tutti::detail
