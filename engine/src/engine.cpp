// The public facade: forwards to EngineCore, and the ParticipantLink calls to their Port.
#include "tutti/engine.h"

#include "engine_core.h"

namespace tutti {

const char* event_type_name(EventType type) {
  switch (type) {
    case EventType::kRoomCreated:
      return "room_created";
    case EventType::kRoomEnded:
      return "room_ended";
    case EventType::kJoined:
      return "joined";
    case EventType::kLeft:
      return "left";
    case EventType::kTalkingStarted:
      return "talking_started";
    case EventType::kTalkingStopped:
      return "talking_stopped";
    case EventType::kMuted:
      return "muted";
    case EventType::kUnmuted:
      return "unmuted";
    case EventType::kDeafened:
      return "deafened";
    case EventType::kUndeafened:
      return "undeafened";
    case EventType::kHeld:
      return "held";
    case EventType::kResumed:
      return "resumed";
    case EventType::kRecordingStarted:
      return "recording_started";
    case EventType::kRecordingStopped:
      return "recording_stopped";
  }
  return "unknown";
}

std::size_t ParticipantLink::frame_samples() const noexcept {
  return port_ ? port_->frame_samples() : 0;
}
bool ParticipantLink::try_push_input(std::span<const int16_t> pcm) noexcept {
  return port_ && port_->try_push_input(pcm);
}
std::size_t ParticipantLink::try_pull_output(std::span<int16_t> pcm) noexcept {
  return port_ ? port_->try_pull_output(pcm) : 0;
}
bool ParticipantLink::try_push_rtp(const RtpInput& packet) noexcept {
  return port_ && port_->try_push_rtp(packet);
}
RtpOutput ParticipantLink::try_pull_rtp(std::span<uint8_t> payload) noexcept {
  return port_ ? port_->try_pull_rtp(payload) : RtpOutput{};
}
LinkCounters ParticipantLink::counters() const noexcept {
  return port_ ? port_->counters() : LinkCounters{};
}

Result<std::unique_ptr<Engine>> Engine::create(const EngineConfig& config) {
  if (Status s = detail::validate(config); !s) return s;
  return std::unique_ptr<Engine>(new Engine(std::make_unique<detail::EngineCore>(config)));
}

Engine::Engine(std::unique_ptr<detail::EngineCore> core) : core_(std::move(core)) {}
Engine::~Engine() = default;

const EngineConfig& Engine::config() const noexcept { return core_->config(); }
std::size_t Engine::frame_samples() const noexcept { return core_->frame_samples(); }
Result<RoomId> Engine::create_room(const RoomConfig& config) { return core_->create_room(config); }
Status Engine::end_room(RoomId room) { return core_->end_room(room); }
Result<ParticipantLink> Engine::add_participant(RoomId room, const ParticipantConfig& config) {
  return core_->add_participant(room, config);
}
Status Engine::remove_participant(ParticipantId p) { return core_->remove_participant(p, false); }
Status Engine::kick(ParticipantId p) { return core_->remove_participant(p, true); }
Status Engine::set_muted(ParticipantId p, bool muted) {
  return core_->set_flag(p, detail::CommandType::kSetMuted, muted);
}
Status Engine::set_deaf(ParticipantId p, bool deaf) {
  return core_->set_flag(p, detail::CommandType::kSetDeaf, deaf);
}
Status Engine::set_gain_in_db(ParticipantId p, float gain_db) {
  return core_->set_gain(p, detail::CommandType::kSetGainIn, gain_db);
}
Status Engine::set_gain_out_db(ParticipantId p, float gain_db) {
  return core_->set_gain(p, detail::CommandType::kSetGainOut, gain_db);
}
Status Engine::set_hold(ParticipantId p, bool held) {
  return core_->set_flag(p, detail::CommandType::kSetHold, held);
}
Status Engine::play_to_room(RoomId room, const std::string& path) {
  return core_->play_to_room(room, path);
}
Status Engine::play_to_participant(ParticipantId p, const std::string& path) {
  return core_->play_to_participant(p, path);
}
Result<std::string> Engine::start_recording(RoomId room) { return core_->start_recording(room); }
Status Engine::play_dtmf_feedback(ParticipantId p, char digit) {
  return core_->play_dtmf_feedback(p, digit);
}
Result<std::string> Engine::start_participant_recording(ParticipantId p) {
  return core_->start_participant_recording(p);
}
Status Engine::stop_participant_recording(ParticipantId p) {
  return core_->stop_participant_recording(p);
}
Status Engine::stop_recording(RoomId room) { return core_->stop_recording(room); }
Status Engine::set_route_gain(ParticipantId from, ParticipantId to, float gain) {
  return core_->set_route_gain(from, to, gain);
}
std::size_t Engine::poll_events(std::span<Event> out) { return core_->poll_events(out); }
EngineStats Engine::stats() const { return core_->stats(); }
Result<RoomStats> Engine::room_stats(RoomId room) const { return core_->room_stats(room); }
void Engine::tick() noexcept { core_->host_tick(); }
Status Engine::start() { return core_->start(); }
void Engine::stop() { core_->stop(); }

}  // namespace tutti
