// The tutti engine: rooms of participants mixed every tick with mix-minus.
//
// Two planes, and every function below says which it belongs to:
//  - control plane (any thread, serialized inside the engine by one mutex; may allocate):
//    create/end rooms, add/remove participants, moderator commands, polling events;
//  - real-time plane (never allocates, locks or blocks): tick(), and the ParticipantLink
//    calls that network threads use to hand frames in and take mixes out.
// Control changes reach the tick through a bounded lock-free command queue and take effect at
// the start of the next tick; objects the tick retires go back to the control plane, which
// frees them, so the tick never frees memory.
//
// Words: *input* is participant -> engine audio, *output* is engine -> participant audio.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "tutti/status.h"

namespace tutti {

namespace detail {
class Port;
class EngineCore;
}  // namespace detail

struct RoomId {
  uint32_t value = 0;
  friend bool operator==(RoomId, RoomId) = default;
};
struct ParticipantId {
  uint32_t value = 0;
  friend bool operator==(ParticipantId, ParticipantId) = default;
};

struct EngineConfig {
  int tick_ms = 20;             // 10 or 20
  int sample_rate_hz = 48000;   // room rate: 8000, 16000 or 48000
  int threads = 0;              // 0 = tick serially on the calling thread; N = N threads
  int max_rooms = 64;           // preallocated room table
  int max_participants = 1024;  // preallocated participant pool, all rooms together
  int input_ring_frames = 4;    // per participant input queue depth (frames)
  int output_ring_frames = 4;   // per participant output queue depth (frames)
  int command_queue_capacity = 4096;
  int event_queue_capacity = 16384;
  // start()'s clock thread asks for SCHED_FIFO at this priority (1..99; 0 = normal scheduling).
  // Needs CAP_SYS_NICE (root); without it the clock runs normally and stats().realtime says so.
  int realtime_priority = 0;
};

enum class RoutingMode {
  kMixMinus,  // fast path: everyone hears the sum of the selected speakers, minus themselves
  kMatrix,    // outputs = G * inputs with per-pair gains (whisper/coach, sub-groups)
};

enum class RecordMode {
  kOff,       // no recording
  kOnDemand,  // start_recording / stop_recording
  kAuto,      // recording starts with the room
};

struct RoomConfig {
  std::string name;
  std::string moh_path;      // music on hold (WAV/FLAC/Ogg): held members and a lone member
  bool entry_tones = false;  // a short tone to the others when someone joins or leaves
  bool denoise = false;      // SpeexDSP noise suppression on every member's input
  bool agc = false;          // SpeexDSP automatic gain control on every member's input
  RecordMode record = RecordMode::kOff;
  std::string record_dir;             // existing directory; file names come from ids only
  std::string record_format = "wav";  // wav, flac or opus (Ogg Opus; 8/12/16/24/48 kHz rooms)
  int max_participants = 100;         // preallocated per room; joins beyond it are refused
  int max_speakers = 3;               // talkers mixed at once, loudest first
  RoutingMode routing = RoutingMode::kMixMinus;
  float talk_on_dbfs = -45.0f;   // start talking when the frame RMS rises above this
  float talk_off_dbfs = -55.0f;  // stop after talk_hangover_ms below this
  int talk_hangover_ms = 400;
  float limiter_knee = 0.75f;  // soft limiter is the identity below this (|x| <= knee)
};

// How a participant's audio is carried. The default (empty codec) is raw int16 PCM at the room
// rate, pushed and pulled as frames. With a codec, the host pushes RTP payloads and pulls
// encoded payloads; the engine runs the jitter buffer, decoder, resamplers and encoders.
struct MediaConfig {
  std::string codec;                // "" (PCM frames) or an SDP name: PCMU, PCMA, G722, opus
  int clock_rate_hz = 0;            // SDP clock rate; 0 = the codec's usual one
  int opus_sample_rate_hz = 48000;  // Opus encode/decode rate: 8000, 12000, 16000, 24000, 48000
  int opus_bitrate_bps = 32000;
  int opus_complexity = 5;
  bool opus_fec = true;  // in-band FEC (expects 5 % loss)
  bool opus_dtx = true;  // send (almost) nothing while the mix is silent
  int jitter_min_ms = 20;
  int jitter_max_ms = 200;
  // RFC 6464: packets whose audio level is quieter than this (dBov, as a positive number) are
  // taken as silence and never decoded.
  int silence_level_dbov = 60;
};

// One RTP packet as the network thread received it (header already parsed).
struct RtpInput {
  uint16_t seq = 0;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0;
  uint8_t payload_type = 0;
  bool marker = false;
  int audio_level_dbov = -1;  // RFC 6464 level (0..127, 127 = silence), or -1 when absent
  int64_t arrival_ms = 0;     // any monotonic millisecond clock
  std::span<const uint8_t> payload;
};

// One encoded output payload; the network thread adds its own RTP header.
struct RtpOutput {
  bool ready = false;     // false: no output frame was waiting
  std::size_t bytes = 0;  // 0: nothing to send this tick (silence while deaf or DTX)
  uint64_t tick = 0;      // engine tick that produced it: timestamp = tick * samples_per_tick
};

struct ParticipantConfig {
  std::string name;
  MediaConfig media;
  float gain_in_db = 0.0f;
  float gain_out_db = 0.0f;
  bool muted = false;
  bool deaf = false;
};

// Counters of one participant's link, readable from any thread (relaxed snapshots).
struct LinkCounters {
  uint64_t input_frames = 0;    // frames accepted by try_push_input
  uint64_t input_dropped = 0;   // refused: queue full or wrong frame size
  uint64_t input_missing = 0;   // ticks that found no input frame (counted as silence)
  uint64_t output_frames = 0;   // frames taken by try_pull_output
  uint64_t output_dropped = 0;  // ticks whose output found the queue full
  uint64_t output_stale = 0;    // frames overwritten before the consumer read them
  // Codec participants only.
  uint64_t packets_lost = 0;     // concealed (PLC) or rebuilt (FEC)
  uint64_t packets_late = 0;     // arrived after their playout
  uint64_t decodes_skipped = 0;  // silent by RFC 6464 level or Opus DTX, muted: not decoded
  uint64_t decode_errors = 0;    // undecodable payloads (concealed)
  int jitter_depth_ms = 0;
};

// A participant's media connection: held by the host's network code, safe to keep after the
// participant has left (calls then fail softly). Copies share the same link.
class ParticipantLink {
 public:
  ParticipantLink() = default;
  ParticipantId id() const noexcept { return id_; }
  bool valid() const noexcept { return port_ != nullptr; }
  // Samples per frame at the room rate (rate * tick_ms / 1000).
  std::size_t frame_samples() const noexcept;

  // Real-time, one producer thread: queue one input frame of exactly frame_samples() samples.
  // Returns false (and counts a drop) when the queue is full or the size is wrong.
  bool try_push_input(std::span<const int16_t> pcm) noexcept;
  // Real-time, one consumer thread: take the next output frame. Returns the samples written
  // (frame_samples()), or 0 when no frame is ready or pcm is too small.
  std::size_t try_pull_output(std::span<int16_t> pcm) noexcept;

  // Codec participants. Real-time, one producer thread: queue one received RTP packet; false
  // (and counted) when the queue is full or the payload is larger than 1500 bytes.
  bool try_push_rtp(const RtpInput& packet) noexcept;
  // Real-time, one consumer thread: the next encoded payload into `payload`. {0, 0} when
  // nothing is ready; bytes == 0 with a tick means "send nothing for this tick".
  RtpOutput try_pull_rtp(std::span<uint8_t> payload) noexcept;

  LinkCounters counters() const noexcept;

 private:
  friend class detail::EngineCore;
  ParticipantLink(ParticipantId id, std::shared_ptr<detail::Port> port)
      : id_(id), port_(std::move(port)) {}
  ParticipantId id_;
  std::shared_ptr<detail::Port> port_;
};

enum class EventType : uint8_t {
  kRoomCreated,
  kRoomEnded,
  kJoined,
  kLeft,  // value = 1 when kicked
  kTalkingStarted,
  kTalkingStopped,
  kMuted,
  kUnmuted,
  kDeafened,
  kUndeafened,
  kHeld,
  kResumed,
  kRecordingStarted,
  kRecordingStopped,
};
const char* event_type_name(EventType type);

struct Event {
  EventType type;
  RoomId room;
  ParticipantId participant;  // 0 for room events
  uint64_t tick;              // tick number at which it happened
  float value;                // kLeft: 1 if kicked; talking: level in dBFS
};

struct RoomStats {
  uint32_t participants = 0;
  uint32_t mixed = 0;          // speakers (and ones fading out) in the last tick's mix
  uint32_t encodes = 0;        // codec encodes in the last tick (shared groups + speakers)
  uint32_t decodes = 0;        // codec decodes in the last tick
  uint32_t encode_groups = 0;  // listener groups sharing one encode
};

struct EngineStats {
  uint64_t ticks = 0;
  uint64_t late_ticks = 0;      // ticks that started after their deadline (clock mode)
  uint64_t skipped_ticks = 0;   // deadlines dropped after a stall instead of bursting
  uint64_t events_dropped = 0;  // event queue was full
  uint32_t rooms = 0;
  uint32_t participants = 0;
  bool realtime = false;  // the clock thread runs with SCHED_FIFO (realtime_priority granted)
};

class Engine {
 public:
  // Control plane. Validates the whole configuration and preallocates every pool.
  static Result<std::unique_ptr<Engine>> create(const EngineConfig& config);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const EngineConfig& config() const noexcept;
  std::size_t frame_samples() const noexcept;

  // Control plane. Effects reach the tick at the start of the next tick.
  Result<RoomId> create_room(const RoomConfig& config);
  Status end_room(RoomId room);  // every participant leaves; the room is retired
  Result<ParticipantLink> add_participant(RoomId room, const ParticipantConfig& config);
  Status remove_participant(ParticipantId participant);  // a normal leave
  Status kick(ParticipantId participant);                // leave with kicked = 1
  Status set_muted(ParticipantId participant, bool muted);
  Status set_deaf(ParticipantId participant, bool deaf);
  Status set_gain_in_db(ParticipantId participant, float gain_db);
  Status set_gain_out_db(ParticipantId participant, float gain_db);
  // On hold: not heard, not decoded, hears the room's music (silence without one).
  Status set_hold(ParticipantId participant, bool held);
  // One-shot audio file: into the whole room (announcement) or to one participant (prompt).
  // Files are loaded and resampled here, off the tick, and cached by path.
  Status play_to_room(RoomId room, const std::string& path);
  Status play_to_participant(ParticipantId participant, const std::string& path);
  // Keypad feedback: the DTMF pair of `digit` (0-9 * # A-D) for 100 ms, to one participant.
  Status play_dtmf_feedback(ParticipantId participant, char digit);
  // Records what a listener hears to <record_dir>/room-<id>-<unix ms>.wav; returns the path.
  // The file stays playable if the process dies (header updated every 500 ms).
  Result<std::string> start_recording(RoomId room);
  Status stop_recording(RoomId room);  // the file is finalized once the tick lets go of it
  // One participant's own input (what it said, after decoding), in the room's record_dir.
  Result<std::string> start_participant_recording(ParticipantId participant);
  Status stop_participant_recording(ParticipantId participant);
  // Matrix rooms only: how loud `from` is in `to`'s output (linear, 0 = not heard).
  Status set_route_gain(ParticipantId from, ParticipantId to, float gain);

  // Control plane: copies up to out.size() pending events; returns how many.
  std::size_t poll_events(std::span<Event> out);
  EngineStats stats() const;
  // Control plane: the room's last-tick figures (relaxed snapshot).
  Result<RoomStats> room_stats(RoomId room) const;

  // Real-time: run one tick on the calling thread (with the engine's worker threads when
  // threads > 0). Call from one thread at a time; ignored while start()'s clock runs.
  void tick() noexcept;

  // Control plane: tick on an own thread on absolute deadlines every tick_ms; a stall skips
  // the missed ticks instead of bursting them.
  Status start();
  void stop();

 private:
  explicit Engine(std::unique_ptr<detail::EngineCore> core);
  std::unique_ptr<detail::EngineCore> core_;
};

}  // namespace tutti
