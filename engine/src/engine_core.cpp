#include "engine_core.h"

#include <cmath>

#include "rt.h"

namespace tutti::detail {

namespace {
float db_to_linear(float db) { return std::pow(10.0f, db / 20.0f); }
}  // namespace

EngineCore::EngineCore(const EngineConfig& config)
    : config_(config),
      frame_samples_(static_cast<std::size_t>(config.sample_rate_hz / 1000 * config.tick_ms)),
      kernels_(simd::kernels()),
      commands_(static_cast<std::size_t>(config.command_queue_capacity)),
      retired_(static_cast<std::size_t>(config.max_participants + 3 * config.max_rooms + 64)),
      events_(static_cast<std::size_t>(config.event_queue_capacity)),
      scheduler_(config.threads) {
  active_rooms_.reserve(static_cast<std::size_t>(config.max_rooms));
  // Keypad feedback tones are built here once: building one allocates, copying one does not.
  for (std::size_t i = 0; i < dtmf_tones_.size(); ++i) {
    dtmf_tones_[i] =
        ToneSource::dtmf(kDtmfDigits[i], kDtmfFeedbackMs, kDtmfFeedbackDbfs, config.sample_rate_hz)
            .value();
  }
}

EngineCore::~EngineCore() { stop(); }

// ---- control plane -------------------------------------------------------------------------

Status EngineCore::enqueue(const Command& command) {
  if (commands_.try_push(command)) return Status::ok();
  return {StatusCode::kUnavailable, "command queue full (is the engine ticking?); try again"};
}

void EngineCore::reap_retired() {
  Retired item;
  while (retired_.try_pop(item)) {
    if (item.port != nullptr) retiring_ports_.erase(item.port);
    if (item.recording != nullptr) finish_recording(item.recording);
    if (item.room != nullptr) {
      auto it = retiring_rooms_.find(item.room);
      if (it != retiring_rooms_.end() && it->second.recording) {
        recorder_->stop(*it->second.recording).is_ok();  // a failed file was reported already
      }
      retiring_rooms_.erase(item.room);
    }
  }
}

Result<RoomId> EngineCore::create_room(const RoomConfig& config) {
  if (Status s = validate(config, config_); !s) return s;
  std::lock_guard lock(mutex_);
  reap_retired();
  if (rooms_.size() + retiring_rooms_.size() >= static_cast<std::size_t>(config_.max_rooms)) {
    return Status{StatusCode::kResourceExhausted,
                  "room table full (max_rooms = " + std::to_string(config_.max_rooms) + ")"};
  }
  const RoomId id{next_room_id_};
  if (config.record != RecordMode::kOff && config.record_dir.empty()) {
    return Status{StatusCode::kInvalidArgument, "record_dir is required when record is not off"};
  }
  std::shared_ptr<const AudioClip> moh;
  if (!config.moh_path.empty()) {
    auto c = clip(config.moh_path);
    if (!c) return c.status();
    moh = clips_.at(config.moh_path);
  }
  auto room =
      std::make_unique<Room>(id, config, frame_samples_, config_.tick_ms, kernels_, std::move(moh));
  if (Status s = enqueue({CommandType::kAddRoom, room.get()}); !s) return s;
  ++next_room_id_;
  RoomRecord& record =
      rooms_.emplace(id.value, RoomRecord{std::move(room), {}, {}, {}}).first->second;
  if (config.record == RecordMode::kAuto) {
    if (auto started = start_recording_locked(record); !started) {
      // The room runs; the failure is the caller's to see (and the room can retry on demand).
      return Status{started.status().code(),
                    "room " + std::to_string(id.value) +
                        " created, but auto-recording failed: " + started.status().message()};
    }
  }
  return id;
}

Status EngineCore::end_room(RoomId id) {
  std::lock_guard lock(mutex_);
  reap_retired();
  auto it = rooms_.find(id.value);
  if (it == rooms_.end()) return {StatusCode::kNotFound, "no " + id_text("room", id.value)};
  if (Status s = enqueue({CommandType::kEndRoom, it->second.room.get()}); !s) return s;
  for (ParticipantId p : it->second.participants) {
    auto rec = participants_.find(p.value);
    if (auto& r = rec->second.recording) stopping_.emplace(r.get(), std::move(r));
    retiring_ports_.emplace(rec->second.port.get(), std::move(rec->second.port));
    participants_.erase(rec);
  }
  Room* raw = it->second.room.get();
  retiring_rooms_.emplace(raw, std::move(it->second));
  rooms_.erase(it);
  return Status::ok();
}

Result<ParticipantLink> EngineCore::add_participant(RoomId room_id,
                                                    const ParticipantConfig& config) {
  std::lock_guard lock(mutex_);
  reap_retired();
  auto it = rooms_.find(room_id.value);
  if (it == rooms_.end())
    return Status{StatusCode::kNotFound, "no " + id_text("room", room_id.value)};
  RoomRecord& record = it->second;
  const int room_limit = record.room->config().max_participants;
  if (record.participants.size() >= static_cast<std::size_t>(room_limit)) {
    return Status{StatusCode::kResourceExhausted,
                  id_text("room", room_id.value) +
                      " is full (max_participants = " + std::to_string(room_limit) + ")"};
  }
  if (participants_.size() + retiring_ports_.size() >=
      static_cast<std::size_t>(config_.max_participants)) {
    return Status{StatusCode::kResourceExhausted,
                  "participant pool exhausted (max_participants = " +
                      std::to_string(config_.max_participants) + ")"};
  }
  const ParticipantId id{next_participant_id_};
  const codecs::CodecInfo* codec = nullptr;
  if (!config.media.codec.empty()) {
    auto found = find_codec(config.media);
    if (!found) return found.status();
    codec = *found;
    if (record.room->config().routing == RoutingMode::kMatrix) {
      return Status{StatusCode::kFailedPrecondition,
                    "codec participants are not supported in matrix rooms yet; use PCM frames"};
    }
  }
  auto port = std::make_shared<Port>(id, room_id, config, frame_samples_,
                                     static_cast<std::size_t>(config_.input_ring_frames),
                                     static_cast<std::size_t>(config_.output_ring_frames));
  if (codec != nullptr) {
    if (Status s = attach_media(record, *port, *codec, config.media, config.gain_out_db); !s) {
      return s;
    }
  }
  if (const RoomConfig& rc = record.room->config(); rc.denoise || rc.agc) {
    auto pre = Preprocessor::create(frame_samples_, config_.sample_rate_hz, rc.denoise, rc.agc);
    if (!pre) return pre.status();
    port->attach_preprocessor(std::move(*pre));
  }
  if (Status s = enqueue({CommandType::kAddParticipant, record.room.get(), port.get()}); !s) {
    return s;
  }
  ++next_participant_id_;
  record.participants.push_back(id);
  participants_.emplace(id.value, ParticipantRecord{port, room_id, codec, config.media, {}});
  return ParticipantLink(id, std::move(port));
}

Result<RoomStats> EngineCore::room_stats(RoomId id) const {
  std::lock_guard lock(mutex_);
  auto it = rooms_.find(id.value);
  if (it == rooms_.end()) return Status{StatusCode::kNotFound, "no " + id_text("room", id.value)};
  RoomStats st = it->second.room->stats();
  st.participants = static_cast<uint32_t>(it->second.participants.size());
  st.encode_groups = static_cast<uint32_t>(it->second.groups.size());
  return st;
}

Result<EngineCore::ParticipantRecord*> EngineCore::find_participant(ParticipantId id) {
  auto it = participants_.find(id.value);
  if (it == participants_.end()) {
    return Status{StatusCode::kNotFound, "no " + id_text("participant", id.value)};
  }
  return &it->second;
}

Status EngineCore::remove_participant(ParticipantId id, bool kicked) {
  std::lock_guard lock(mutex_);
  reap_retired();
  auto found = find_participant(id);
  if (!found) return found.status();
  ParticipantRecord& rec = **found;
  RoomRecord& room = rooms_.at(rec.room.value);
  if (Status s = enqueue({CommandType::kRemoveParticipant, room.room.get(), rec.port.get(), nullptr,
                          kicked ? 1.0f : 0.0f});
      !s) {
    return s;
  }
  std::erase(room.participants, id);
  if (rec.recording) stopping_.emplace(rec.recording.get(), std::move(rec.recording));
  retiring_ports_.emplace(rec.port.get(), std::move(rec.port));
  participants_.erase(id.value);
  return Status::ok();
}

Status EngineCore::set_flag(ParticipantId id, CommandType type, bool on) {
  std::lock_guard lock(mutex_);
  reap_retired();
  auto found = find_participant(id);
  if (!found) return found.status();
  return enqueue({type, nullptr, (*found)->port.get(), nullptr, on ? 1.0f : 0.0f});
}

Status EngineCore::set_gain(ParticipantId id, CommandType type, float gain_db) {
  if (!std::isfinite(gain_db) || gain_db > 24.0f || gain_db < -96.0f) {
    return {StatusCode::kInvalidArgument,
            "gain_db must be between -96 and +24 dB (got " + std::to_string(gain_db) + ")"};
  }
  std::lock_guard lock(mutex_);
  reap_retired();
  auto found = find_participant(id);
  if (!found) return found.status();
  ParticipantRecord& rec = **found;
  EncodeGroup* group = nullptr;
  if (type == CommandType::kSetGainOut && rec.codec != nullptr) {
    // A codec listener's output gain is its encode group's: move it to the matching group.
    auto g = group_for(rooms_.at(rec.room.value), *rec.codec, rec.media, gain_db);
    if (!g) return g.status();
    group = *g;
  }
  return enqueue({type, nullptr, rec.port.get(), nullptr, db_to_linear(gain_db), group});
}

Status EngineCore::set_route_gain(ParticipantId from, ParticipantId to, float gain) {
  if (!std::isfinite(gain) || gain < 0.0f || gain > 16.0f) {
    return {StatusCode::kInvalidArgument, "route gain must be between 0 and 16 (linear)"};
  }
  std::lock_guard lock(mutex_);
  reap_retired();
  auto a = find_participant(from);
  if (!a) return a.status();
  auto b = find_participant(to);
  if (!b) return b.status();
  if ((*a)->room.value != (*b)->room.value) {
    return {StatusCode::kInvalidArgument, "participants are in different rooms"};
  }
  Room* room = rooms_.at((*a)->room.value).room.get();
  if (room->config().routing != RoutingMode::kMatrix) {
    return {StatusCode::kFailedPrecondition, id_text("room", (*a)->room.value) +
                                                 " uses mix-minus routing; per-pair gains need "
                                                 "RoutingMode::kMatrix"};
  }
  return enqueue({CommandType::kSetRouteGain, room, (*a)->port.get(), (*b)->port.get(), gain});
}

std::size_t EngineCore::poll_events(std::span<Event> out) {
  std::lock_guard lock(mutex_);
  reap_retired();
  std::size_t n = 0;
  while (n < out.size() && events_.try_pop(out[n])) ++n;
  return n;
}

EngineStats EngineCore::stats() const {
  std::lock_guard lock(mutex_);
  EngineStats s;
  s.ticks = ticks_.load(std::memory_order_relaxed);
  if (clock_) {
    s.late_ticks = clock_->late_ticks();
    s.skipped_ticks = clock_->skipped_ticks();
    s.realtime = clock_->realtime();
  }
  s.events_dropped = events_.dropped();
  s.rooms = static_cast<uint32_t>(rooms_.size());
  s.participants = static_cast<uint32_t>(participants_.size());
  return s;
}

Status EngineCore::start() {
  std::lock_guard lock(mutex_);
  if (clock_) return {StatusCode::kFailedPrecondition, "engine clock already running"};
  clock_ = std::make_unique<TickClock>(
      int64_t{config_.tick_ms} * 1'000'000, [this] { tick(); }, config_.realtime_priority);
  clock_running_.store(true, std::memory_order_release);
  clock_->start();
  return Status::ok();
}

void EngineCore::stop() {
  std::unique_ptr<TickClock> clock;
  {
    std::lock_guard lock(mutex_);
    clock = std::move(clock_);
  }
  if (clock) clock->stop();
  clock_running_.store(false, std::memory_order_release);
}

// ---- tick plane ----------------------------------------------------------------------------

}  // namespace tutti::detail
