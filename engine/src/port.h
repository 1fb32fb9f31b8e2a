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

#include "media_in.h"
#include "media_out.h"
#include "port_counter.h"
#include "preprocess.h"
#include "recorder.h"
#include "shared_frame.h"
#include "sources.h"
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

class Port {
 public:
  Port(ParticipantId id, RoomId room, const ParticipantConfig& config, std::size_t frame_samples,
       std::size_t input_frames, std::size_t output_frames);

  // Control plane, before the port reaches the tick: makes it a codec participant.
  void attach_media(std::unique_ptr<MediaIn> in, std::unique_ptr<MediaOut> out) noexcept;

  // Host plane (see ParticipantLink).
  bool try_push_input(std::span<const int16_t> pcm) noexcept;
  std::size_t try_pull_output(std::span<int16_t> pcm) noexcept;
  bool try_push_rtp(const RtpInput& packet) noexcept;
  RtpOutput try_pull_rtp(std::span<uint8_t> payload) noexcept;
  LinkCounters counters() const noexcept;

  ParticipantId id() const noexcept { return id_; }
  RoomId room() const noexcept { return room_; }
  std::size_t frame_samples() const noexcept { return frame_samples_; }

  // Tick plane: queues and this participant's own output frames.
  SpscRing<InputFrame>& input() noexcept { return input_; }
  bool push_output(OutputRef ref) noexcept;
  SharedFrame& private_frame(uint64_t tick) noexcept { return private_frames_[tick % kFrameSlots]; }
  void count_missing_input() noexcept { input_missing_.add(); }
  MediaIn* media_in() noexcept { return media_in_.get(); }
  MediaOut* media_out() noexcept { return media_out_.get(); }
  InputFrame& decoded() noexcept { return decoded_; }  // a codec participant's frame this tick
  Preprocessor* preprocessor() noexcept { return preprocessor_.get(); }
  void attach_preprocessor(std::unique_ptr<Preprocessor> p) noexcept {
    preprocessor_ = std::move(p);
  }

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
    bool frame_from_ring = false;       // frame is the input ring's front (pop it after the tick)
    float mean_square = 0.0f;           // this tick's input energy
    bool selected = false;              // chosen as a speaker this tick
    bool mixed = false;                 // in S this tick (speaker or fading out)
    const float* mixed_samples = nullptr;  // when mixed: its contribution to S
    bool held = false;                     // on hold: not heard, hears the room's music
    ClipPlayer prompt;                     // a one-shot prompt for this participant only
    bool prompt_active = false;
    ToneSource tone;                    // keypad feedback for this participant only
    RecordingTap* recording = nullptr;  // its own input, when recorded
    int matrix_index = -1;              // row/column in a matrix room
  } state;

 private:
  const ParticipantId id_;
  const RoomId room_;
  const std::size_t frame_samples_;
  SpscRing<InputFrame> input_;
  SpscRing<OutputRef> output_;
  SharedFrame private_frames_[kFrameSlots];
  std::unique_ptr<MediaIn> media_in_;    // codec participants only
  std::unique_ptr<MediaOut> media_out_;  // codec participants only
  InputFrame decoded_;
  std::unique_ptr<Preprocessor> preprocessor_;  // room denoise / AGC
  Counter input_frames_, input_dropped_;        // producer thread
  Counter input_missing_, output_dropped_;      // tick
  Counter output_frames_, output_stale_;        // consumer thread
};

}  // namespace tutti::detail
