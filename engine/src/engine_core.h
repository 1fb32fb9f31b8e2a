// The engine behind the public Engine facade: the control plane's bookkeeping (under one
// mutex) and the tick's own state (touched only by the tick thread and its workers).
#pragma once

#include <array>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "commands.h"
#include "event_sink.h"
#include "mpsc_queue.h"
#include "port.h"
#include "recorder.h"
#include "room.h"
#include "scheduler.h"
#include "sources.h"
#include "spsc_ring.h"
#include "tick_clock.h"
#include "tutti/codecs/registry.h"
#include "tutti/engine.h"
#include "tutti/simd/kernels.h"

namespace tutti::detail {

inline constexpr char kDtmfDigits[] = "0123456789*#ABCD";
inline constexpr int kDtmfFeedbackMs = 100;
inline constexpr float kDtmfFeedbackDbfs = -16.0f;

// "room 3", "participant 17": how messages name things.
inline std::string id_text(const char* what, uint32_t id) {
  return std::string(what) + " " + std::to_string(id);
}

// The registered audio codec a participant asked for, or a message listing what is offered.
Result<const codecs::CodecInfo*> find_codec(const MediaConfig& media);

// Checks a configuration; the message names the field and the allowed values.
Status validate(const EngineConfig& config);
Status validate(const RoomConfig& config, const EngineConfig& engine);

class EngineCore {
 public:
  explicit EngineCore(const EngineConfig& config);
  ~EngineCore();

  const EngineConfig& config() const noexcept { return config_; }
  std::size_t frame_samples() const noexcept { return frame_samples_; }

  // Control plane.
  Result<RoomId> create_room(const RoomConfig& config);
  Status end_room(RoomId room);
  Result<ParticipantLink> add_participant(RoomId room, const ParticipantConfig& config);
  Status remove_participant(ParticipantId participant, bool kicked);
  Status set_flag(ParticipantId participant, CommandType type, bool on);
  Status set_gain(ParticipantId participant, CommandType type, float gain_db);
  Status set_route_gain(ParticipantId from, ParticipantId to, float gain);
  Status play_to_room(RoomId room, const std::string& path);
  Status play_to_participant(ParticipantId participant, const std::string& path);
  Result<std::string> start_recording(RoomId room);
  Status stop_recording(RoomId room);
  Status play_dtmf_feedback(ParticipantId participant, char digit);
  Result<std::string> start_participant_recording(ParticipantId participant);
  Status stop_participant_recording(ParticipantId participant);
  std::size_t poll_events(std::span<Event> out);
  EngineStats stats() const;
  Result<RoomStats> room_stats(RoomId room) const;
  Status start();
  void stop();

  // Tick plane.
  void tick() noexcept;
  // The host's tick: ignored while the engine's own clock runs (two tickers would race).
  void host_tick() noexcept {
    if (!clock_running_.load(std::memory_order_acquire)) tick();
  }

 private:
  struct RoomRecord {
    std::unique_ptr<Room> room;
    std::vector<ParticipantId> participants;
    std::vector<std::unique_ptr<EncodeGroup>> groups;  // referenced by the tick via ports
    std::shared_ptr<Recording> recording;              // the room's current recording
  };
  struct ParticipantRecord {
    std::shared_ptr<Port> port;
    RoomId room;
    const codecs::CodecInfo* codec = nullptr;  // null for PCM participants
    MediaConfig media;
    std::shared_ptr<Recording> recording;  // its own input, when recorded
  };

  // Control plane, with mutex_ held.
  Status enqueue(const Command& command);
  void reap_retired();
  Result<ParticipantRecord*> find_participant(ParticipantId id);
  Result<const AudioClip*> clip(const std::string& path);
  Result<std::string> start_recording_locked(RoomRecord& room);
  Result<std::shared_ptr<Recording>> open_recording(const RoomConfig& room, RoomId id,
                                                    std::optional<ParticipantId> participant);
  void finish_recording(Recording* recording);
  Status attach_media(RoomRecord& room, Port& port, const codecs::CodecInfo& codec,
                      const MediaConfig& media, float gain_out_db);
  Result<EncodeGroup*> group_for(RoomRecord& room, const codecs::CodecInfo& codec,
                                 const MediaConfig& media, float gain_out_db);

  // Tick plane.
  void apply_commands() noexcept;
  void apply(const Command& command) noexcept;
  void retire(Retired item) noexcept;
  static void tick_rooms(void* self, std::size_t begin, std::size_t end) noexcept;
  // The Recording behind a port's tap (tick): the one the control plane parked in stopping_.
  Recording* recording_of(Port* port) noexcept {
    return port->state.recording != nullptr ? port->state.recording->owner() : nullptr;
  }

  const EngineConfig config_;
  const std::size_t frame_samples_;
  const simd::KernelTable& kernels_;

  mutable std::mutex mutex_;
  std::unordered_map<uint32_t, RoomRecord> rooms_;
  std::unordered_map<uint32_t, ParticipantRecord> participants_;
  std::unordered_map<Port*, std::shared_ptr<Port>> retiring_ports_;
  std::unordered_map<Room*, RoomRecord> retiring_rooms_;
  uint32_t next_room_id_ = 1;
  uint32_t next_participant_id_ = 1;
  std::unique_ptr<TickClock> clock_;
  std::unordered_map<std::string, std::shared_ptr<const AudioClip>> clips_;  // by path
  std::unique_ptr<RecordingWriter> recorder_;  // started with the first recording
  std::unordered_map<Recording*, std::shared_ptr<Recording>> stopping_;

  // Crossing the planes.
  MpscQueue<Command> commands_;
  SpscRing<Retired> retired_;
  EventSink events_;
  std::atomic<uint64_t> ticks_{0};
  std::atomic<bool> clock_running_{false};

  // Tick plane.
  std::vector<Room*> active_rooms_;        // capacity max_rooms
  std::array<ToneSource, 16> dtmf_tones_;  // keypad feedback, index into kDtmfDigits
  uint64_t tick_ = 0;
  Scheduler scheduler_;
};

}  // namespace tutti::detail
