// A room on the tick: its members and the mix pipeline
//   pull_inputs -> select_speakers -> sum_speakers -> publish_shared -> publish_outputs
// (or, in a matrix room, pull_inputs -> route_matrix). Everything is preallocated at creation;
// membership changes arrive from the engine's command phase at the start of a tick.
//
// Glossary: S is the sum of the mixed speakers' inputs after gain. A speaker hears S - own;
// every other listener shares one copy of limit(S). "Mixed" includes speakers fading out this
// frame (ramped to zero) so nobody leaves the mix with a click.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "event_sink.h"
#include "port.h"
#include "recorder.h"
#include "sources.h"
#include "tutti/engine.h"
#include "tutti/simd/kernels.h"

namespace tutti::detail {

class MatrixRouter;

class Room {
 public:
  // Control plane: allocates everything the tick will need.
  Room(RoomId id, const RoomConfig& config, std::size_t frame_samples, int tick_ms,
       const simd::KernelTable& kernels, std::shared_ptr<const AudioClip> moh = nullptr);
  ~Room();
  Room(const Room&) = delete;
  Room& operator=(const Room&) = delete;

  RoomId id() const noexcept { return id_; }
  const RoomConfig& config() const noexcept { return config_; }
  std::span<Port* const> members() const noexcept { return members_; }

  // Tick plane (the engine's command phase). add() requires room (checked by the control plane).
  void add(Port* port) noexcept;
  void remove(Port* port) noexcept;
  void set_route_gain(Port* from, Port* to, float gain) noexcept;
  // Room-wide sources and the recording tap (tick plane; the objects outlive their use).
  void play_tone(const ToneSource& tone) noexcept { tone_ = tone; }
  void play_announcement(const AudioClip* clip) noexcept {
    announcement_ = ClipPlayer(clip, ClipMode::kOneShot);
    announcement_active_ = true;
  }
  void set_recording(RecordingTap* tap) noexcept { recording_ = tap; }
  RecordingTap* recording() const noexcept { return recording_; }
  const ToneSource& join_tone() const noexcept { return join_tone_; }
  const ToneSource& leave_tone() const noexcept { return leave_tone_; }

  // Tick plane: one frame for every member.
  void tick(uint64_t tick, EventSink& events) noexcept;

  // Any thread: the last tick's figures (mixed, encodes, decodes).
  RoomStats stats() const noexcept;

 private:
  struct Mixed {
    Port* port;
    float* samples;  // gain-ramped input, as added to S
  };

  void pull_inputs(uint64_t tick, EventSink& events) noexcept;
  void take_input(Port& port) noexcept;
  void clean_up(Port& port) noexcept;
  void select_speakers() noexcept;
  void sum_speakers() noexcept;
  void publish_shared(uint64_t tick) noexcept;
  void publish_outputs(uint64_t tick) noexcept;
  void release_inputs() noexcept;
  void add_room_sources() noexcept;
  const float* moh_frame(uint64_t tick) noexcept;
  const float* prompt_frame(Port& port) noexcept;
  void publish_music(Port& port, uint64_t tick) noexcept;
  void finish_private_mix(Port& port, float* mix, std::size_t n) noexcept;
  void enter_own_stream(MediaOut& out, MediaOut::OwnMode mode) noexcept;
  void encode_own(Port& port, float* mix, std::size_t n, uint64_t tick) noexcept;
  void publish_codec_own(Port& port, const float* own, const float* prompt, uint64_t tick) noexcept;
  void publish_codec_direct(Port& port, const float* x, uint64_t tick) noexcept;
  void publish_codec_listener(Port& port, uint64_t tick) noexcept;
  void route_matrix(uint64_t tick) noexcept;
  // out_frame = limit(gain_out ramp(mix)) -> int16 -> the port's private slot -> its queue.
  void publish_private(Port& port, float* mix, uint64_t tick) noexcept;
  // Converts the port's input to float with its input-gain ramp towards target (mixed or 0).
  void ramp_input(Port& port, float target_gain, float* out) noexcept;

  const RoomId id_;
  const RoomConfig config_;
  const std::size_t frame_samples_;
  const simd::KernelTable& k_;
  std::vector<Port*> members_;     // capacity max_participants
  std::vector<Port*> candidates_;  // talkers this tick, capacity max_participants
  std::vector<Mixed> mixed_;       // capacity 2 * max_speakers (speakers + fading out)
  std::vector<float> mixed_buffers_;
  std::vector<float> sum_;
  std::vector<float> scratch_;
  std::vector<int16_t> pcm_;
  std::unique_ptr<SharedFrame[]> shared_;  // kFrameSlots frames of limit(S)
  bool shared_silent_ = true;              // nothing mixed this tick
  int hangover_frames_ = 0;
  uint32_t encodes_ = 0;  // this tick
  uint32_t decodes_ = 0;  // this tick
  std::atomic<uint32_t> stats_mixed_{0}, stats_encodes_{0}, stats_decodes_{0};
  std::unique_ptr<MatrixRouter> matrix_;
  std::vector<float> extra_, zeros_, moh_buffer_, prompt_buffer_;
  std::shared_ptr<const AudioClip> moh_clip_;  // set at creation; players hold raw pointers
  ClipPlayer moh_;
  bool has_moh_ = false;
  uint64_t moh_tick_ = ~uint64_t{0};
  ClipPlayer announcement_;
  bool announcement_active_ = false;
  ToneSource tone_, join_tone_, leave_tone_;
  bool sources_active_ = false;
  RecordingTap* recording_ = nullptr;
};

}  // namespace tutti::detail
