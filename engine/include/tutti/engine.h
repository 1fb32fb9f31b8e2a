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
  int tick_ms = 20;                 // 10 or 20
  int sample_rate_hz = 48000;       // room rate: 8000, 16000 or 48000
  int threads = 0;                  // 0 = tick serially on the calling thread; N = N threads
  int max_rooms = 64;               // preallocated room table
  int max_participants = 1024;      // preallocated participant pool, all rooms together
  int input_ring_frames = 4;        // per participant input queue depth (frames)
  int output_ring_frames = 4;       // per participant output queue depth (frames)
  int command_queue_capacity = 4096;
  int event_queue_capacity = 16384;
};

enum class RoutingMode {
  kMixMinus,  // fast path: everyone hears the sum of the selected speakers, minus themselves
  kMatrix,    // outputs = G * inputs with per-pair gains (whisper/coach, sub-groups)
};

struct RoomConfig {
  std::string name;
  int max_participants = 100;  // preallocated per room; joins beyond it are refused
  int max_speakers = 3;        // talkers mixed at once, loudest first
  RoutingMode routing = RoutingMode::kMixMinus;
  float talk_on_dbfs = -45.0f;   // start talking when the frame RMS rises above this
  float talk_off_dbfs = -55.0f;  // stop after talk_hangover_ms below this
  int talk_hangover_ms = 400;
  float limiter_knee = 0.75f;    // soft limiter is the identity below this (|x| <= knee)
};

struct ParticipantConfig {
  std::string name;
  float gain_in_db = 0.0f;
  float gain_out_db = 0.0f;
  bool muted = false;
  bool deaf = false;
};

// Counters of one participant's link, readable from any thread (relaxed snapshots).
struct LinkCounters {
  uint64_t input_frames = 0;     // frames accepted by try_push_input
  uint64_t input_dropped = 0;    // refused: queue full or wrong frame size
  uint64_t input_missing = 0;    // ticks that found no input frame (counted as silence)
  uint64_t output_frames = 0;    // frames taken by try_pull_output
  uint64_t output_dropped = 0;   // ticks whose output found the queue full
  uint64_t output_stale = 0;     // frames overwritten before the consumer read them
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
  kLeft,     // value = 1 when kicked
  kTalkingStarted,
  kTalkingStopped,
  kMuted,
  kUnmuted,
  kDeafened,
  kUndeafened,
};
const char* event_type_name(EventType type);

struct Event {
  EventType type;
  RoomId room;
  ParticipantId participant;  // 0 for room events
  uint64_t tick;              // tick number at which it happened
  float value;                // kLeft: 1 if kicked; talking: level in dBFS
};

struct EngineStats {
  uint64_t ticks = 0;
  uint64_t late_ticks = 0;      // ticks that started after their deadline (clock mode)
  uint64_t skipped_ticks = 0;   // deadlines dropped after a stall instead of bursting
  uint64_t events_dropped = 0;  // event queue was full
  uint32_t rooms = 0;
  uint32_t participants = 0;
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
  // Matrix rooms only: how loud `from` is in `to`'s output (linear, 0 = not heard).
  Status set_route_gain(ParticipantId from, ParticipantId to, float gain);

  // Control plane: copies up to out.size() pending events; returns how many.
  std::size_t poll_events(std::span<Event> out);
  EngineStats stats() const;

  // Real-time: run one tick on the calling thread (with the engine's worker threads when
  // threads > 0). Call from one thread at a time, and not while start() is running.
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
