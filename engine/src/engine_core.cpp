#include "engine_core.h"

#include <cmath>

#include "rt.h"

namespace tutti::detail {

namespace {
float db_to_linear(float db) { return std::pow(10.0f, db / 20.0f); }

std::string id_text(const char* what, uint32_t id) {
  return std::string(what) + " " + std::to_string(id);
}

// Listener groups a room may have: distinct (codec, rate, settings, output gain) keys.
constexpr std::size_t kMaxEncodeGroups = 32;

Result<const codecs::CodecInfo*> find_codec(const MediaConfig& media) {
  for (const codecs::CodecInfo& info : codecs::registered_codecs()) {
    if (!info.is_audio) continue;
    if (media.clock_rate_hz != 0 && info.rtp_clock_rate_hz != media.clock_rate_hz) continue;
    if (const codecs::CodecInfo* match =
            codecs::find(media.codec, info.rtp_clock_rate_hz);
        match == &info) {
      return match;
    }
  }
  std::string offered;
  for (const codecs::CodecInfo& info : codecs::registered_codecs()) {
    if (!info.is_audio) continue;
    offered += (offered.empty() ? "" : ", ") + std::string(info.encoding_name) + "/" +
               std::to_string(info.rtp_clock_rate_hz);
  }
  return Status{StatusCode::kInvalidArgument, "unsupported codec '" + media.codec + "/" +
                                                  std::to_string(media.clock_rate_hz) +
                                                  "' (offered: " + offered + ")"};
}
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
    dtmf_tones_[i] = ToneSource::dtmf(kDtmfDigits[i], kDtmfFeedbackMs, kDtmfFeedbackDbfs,
                                      config.sample_rate_hz)
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

void EngineCore::finish_recording(Recording* recording) {
  auto it = stopping_.find(recording);
  if (it == stopping_.end()) return;
  (void)recorder_->stop(*it->second);  // finalizes the header; a write error was flagged before
  stopping_.erase(it);
}

Result<const AudioClip*> EngineCore::clip(const std::string& path) {
  if (auto it = clips_.find(path); it != clips_.end()) return it->second.get();
  auto loaded = load_clip(path, config_.sample_rate_hz);
  if (!loaded) return loaded.status();
  const AudioClip* raw = loaded->get();
  clips_.emplace(path, std::move(*loaded));
  return raw;
}

Status EngineCore::play_to_room(RoomId id, const std::string& path) {
  std::lock_guard lock(mutex_);
  reap_retired();
  auto it = rooms_.find(id.value);
  if (it == rooms_.end()) return {StatusCode::kNotFound, "no " + id_text("room", id.value)};
  auto c = clip(path);
  if (!c) return c.status();
  Command command{CommandType::kPlayToRoom, it->second.room.get()};
  command.clip = *c;
  return enqueue(command);
}

Status EngineCore::play_to_participant(ParticipantId id, const std::string& path) {
  std::lock_guard lock(mutex_);
  reap_retired();
  auto found = find_participant(id);
  if (!found) return found.status();
  auto c = clip(path);
  if (!c) return c.status();
  Command command{CommandType::kPlayToParticipant, nullptr, (*found)->port.get()};
  command.clip = *c;
  return enqueue(command);
}

Result<std::string> EngineCore::start_recording_locked(RoomRecord& record) {
  const RoomConfig& rc = record.room->config();
  if (rc.record == RecordMode::kOff) {
    return Status{StatusCode::kFailedPrecondition,
                  "room " + std::to_string(record.room->id().value) + " has recording off"};
  }
  if (record.recording) {
    return Status{StatusCode::kFailedPrecondition, "room " +
                                                       std::to_string(record.room->id().value) +
                                                       " is already recording to " +
                                                       record.recording->path()};
  }
  auto started = open_recording(rc, record.room->id(), std::nullopt);
  if (!started) return started.status();
  Command command{CommandType::kSetRecording, record.room.get()};
  command.recording = started->get();
  command.value = 1.0f;  // start
  if (Status s = enqueue(command); !s) {
    (void)recorder_->stop(**started);
    return s;
  }
  record.recording = std::move(*started);
  return record.recording->path();
}

Result<std::shared_ptr<Recording>> EngineCore::open_recording(
    const RoomConfig& rc, RoomId id, std::optional<ParticipantId> participant) {
  if (rc.record == RecordMode::kOff) {
    return Status{StatusCode::kFailedPrecondition,
                  id_text("room", id.value) + " has recording off"};
  }
  if (!recorder_) recorder_ = std::make_unique<RecordingWriter>();
  RecordingSpec spec;
  spec.directory = rc.record_dir;
  spec.room = id;
  spec.participant = participant;
  spec.sample_rate_hz = config_.sample_rate_hz;
  spec.format = rc.record_format == "flac"   ? RecordingFormat::kFlac
                : rc.record_format == "opus" ? RecordingFormat::kOggOpus
                                             : RecordingFormat::kWav;
  return recorder_->start(spec);
}

Status EngineCore::play_dtmf_feedback(ParticipantId id, char digit) {
  const std::size_t index = std::string_view(kDtmfDigits).find(digit);
  if (index == std::string_view::npos) {
    return {StatusCode::kInvalidArgument,
            std::string("not a keypad digit: '") + digit + "' (0-9 * # A-D)"};
  }
  std::lock_guard lock(mutex_);
  reap_retired();
  auto found = find_participant(id);
  if (!found) return found.status();
  return enqueue({CommandType::kPlayDtmf, nullptr, (*found)->port.get(), nullptr,
                  static_cast<float>(index)});
}

Result<std::string> EngineCore::start_participant_recording(ParticipantId id) {
  std::lock_guard lock(mutex_);
  reap_retired();
  auto found = find_participant(id);
  if (!found) return found.status();
  ParticipantRecord& rec = **found;
  if (rec.recording) {
    return Status{StatusCode::kFailedPrecondition,
                  id_text("participant", id.value) + " is already recording to " +
                      rec.recording->path()};
  }
  RoomRecord& room = rooms_.at(rec.room.value);
  auto started = open_recording(room.room->config(), rec.room, id);
  if (!started) return started.status();
  Command command{CommandType::kSetRecording, nullptr, rec.port.get(), nullptr, 1.0f};
  command.recording = started->get();
  if (Status s = enqueue(command); !s) {
    (void)recorder_->stop(**started);
    return s;
  }
  rec.recording = std::move(*started);
  return rec.recording->path();
}

Status EngineCore::stop_participant_recording(ParticipantId id) {
  std::lock_guard lock(mutex_);
  reap_retired();
  auto found = find_participant(id);
  if (!found) return found.status();
  ParticipantRecord& rec = **found;
  if (!rec.recording) {
    return {StatusCode::kFailedPrecondition, id_text("participant", id.value) + " is not recording"};
  }
  Command command{CommandType::kSetRecording, nullptr, rec.port.get(), nullptr, 0.0f};
  command.recording = rec.recording.get();
  if (Status s = enqueue(command); !s) return s;
  stopping_.emplace(rec.recording.get(), std::move(rec.recording));
  return Status::ok();
}

Result<std::string> EngineCore::start_recording(RoomId id) {
  std::lock_guard lock(mutex_);
  reap_retired();
  auto it = rooms_.find(id.value);
  if (it == rooms_.end()) return Status{StatusCode::kNotFound, "no " + id_text("room", id.value)};
  return start_recording_locked(it->second);
}

Status EngineCore::stop_recording(RoomId id) {
  std::lock_guard lock(mutex_);
  reap_retired();
  auto it = rooms_.find(id.value);
  if (it == rooms_.end()) return {StatusCode::kNotFound, "no " + id_text("room", id.value)};
  RoomRecord& record = it->second;
  if (!record.recording) {
    return {StatusCode::kFailedPrecondition, id_text("room", id.value) + " is not recording"};
  }
  Command command{CommandType::kSetRecording, record.room.get()};
  command.recording = record.recording.get();
  command.value = 0.0f;  // stop
  if (Status s = enqueue(command); !s) return s;
  stopping_.emplace(record.recording.get(), std::move(record.recording));
  return Status::ok();
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
  auto room = std::make_unique<Room>(id, config, frame_samples_, config_.tick_ms, kernels_,
                                     std::move(moh));
  if (Status s = enqueue({CommandType::kAddRoom, room.get()}); !s) return s;
  ++next_room_id_;
  RoomRecord& record = rooms_.emplace(id.value, RoomRecord{std::move(room), {}, {}, {}})
                           .first->second;
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
  if (it == rooms_.end()) return Status{StatusCode::kNotFound, "no " + id_text("room", room_id.value)};
  RoomRecord& record = it->second;
  const int room_limit = record.room->config().max_participants;
  if (record.participants.size() >= static_cast<std::size_t>(room_limit)) {
    return Status{StatusCode::kResourceExhausted,
                  id_text("room", room_id.value) + " is full (max_participants = " +
                      std::to_string(room_limit) + ")"};
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

Result<EncodeGroup*> EngineCore::group_for(RoomRecord& room, const codecs::CodecInfo& codec,
                                           const MediaConfig& media, float gain_out_db) {
  const EncodeKey key = encode_key(codec, media, gain_out_db);
  for (auto& g : room.groups) {
    if (g->key() == key) return g.get();
  }
  if (room.groups.size() >= kMaxEncodeGroups) {
    return Status{StatusCode::kResourceExhausted,
                  "room has " + std::to_string(kMaxEncodeGroups) +
                      " listener encode groups (codec, rate, settings, output gain) already"};
  }
  auto group = EncodeGroup::create(codec, media, gain_out_db, config_.sample_rate_hz,
                                   config_.tick_ms);
  if (!group) return group.status();
  room.groups.push_back(std::move(*group));
  return room.groups.back().get();
}

Status EngineCore::attach_media(RoomRecord& room, Port& port, const codecs::CodecInfo& codec,
                                const MediaConfig& media, float gain_out_db) {
  if (media.jitter_min_ms < 0 || media.jitter_max_ms < media.jitter_min_ms ||
      media.jitter_max_ms > 1000) {
    return {StatusCode::kInvalidArgument, "jitter_min_ms/jitter_max_ms must satisfy 0 <= min <= "
                                          "max <= 1000"};
  }
  auto group = group_for(room, codec, media, gain_out_db);
  if (!group) return group.status();
  const auto ring = static_cast<std::size_t>(config_.input_ring_frames) * 4;
  auto in = MediaIn::create(codec, media, config_.sample_rate_hz, config_.tick_ms, ring);
  if (!in) return in.status();
  auto out = MediaOut::create(codec, media, config_.sample_rate_hz, config_.tick_ms);
  if (!out) return out.status();
  (*out)->group = *group;
  port.attach_media(std::move(*in), std::move(*out));
  return Status::ok();
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
  if (Status s = enqueue({CommandType::kRemoveParticipant, room.room.get(), rec.port.get(),
                          nullptr, kicked ? 1.0f : 0.0f});
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
    return {StatusCode::kFailedPrecondition,
            id_text("room", (*a)->room.value) + " uses mix-minus routing; per-pair gains need "
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
  }
  s.events_dropped = events_.dropped();
  s.rooms = static_cast<uint32_t>(rooms_.size());
  s.participants = static_cast<uint32_t>(participants_.size());
  return s;
}

Status EngineCore::start() {
  std::lock_guard lock(mutex_);
  if (clock_) return {StatusCode::kFailedPrecondition, "engine clock already running"};
  clock_ = std::make_unique<TickClock>(int64_t{config_.tick_ms} * 1'000'000, [this] { tick(); });
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

TUTTI_RT void EngineCore::tick() noexcept {
  apply_commands();
  scheduler_.for_each(active_rooms_.size(), &EngineCore::tick_rooms, this);
  ++tick_;
  ticks_.store(tick_, std::memory_order_relaxed);
}

TUTTI_RT void EngineCore::tick_rooms(void* self, std::size_t begin, std::size_t end) noexcept {
  auto* core = static_cast<EngineCore*>(self);
  for (std::size_t i = begin; i < end; ++i) core->active_rooms_[i]->tick(core->tick_, core->events_);
}

TUTTI_RT void EngineCore::apply_commands() noexcept {
  // Bounded: a flood of commands cannot keep the tick from mixing.
  const std::size_t budget = commands_.capacity();
  Command command;
  for (std::size_t i = 0; i < budget && commands_.try_pop(command); ++i) apply(command);
}

TUTTI_RT void EngineCore::retire(Retired item) noexcept {
  // Capacity covers every object at most once in flight, so this cannot fail.
  retired_.try_push(item);
}

TUTTI_RT void EngineCore::apply(const Command& c) noexcept {
  Port* p = c.port;
  const bool on = c.value != 0.0f;
  switch (c.type) {
    case CommandType::kAddRoom:
      active_rooms_.push_back(c.room);
      events_.emit(EventType::kRoomCreated, c.room->id(), {}, tick_);
      break;
    case CommandType::kEndRoom: {
      for (Port* member : c.room->members()) {
        events_.emit(EventType::kLeft, c.room->id(), member->id(), tick_, 1.0f);
        retire({nullptr, member, recording_of(member)});
      }
      std::erase(active_rooms_, c.room);
      events_.emit(EventType::kRoomEnded, c.room->id(), {}, tick_);
      retire({c.room, nullptr});
      break;
    }
    case CommandType::kAddParticipant:
      c.room->add(p);
      events_.emit(EventType::kJoined, c.room->id(), p->id(), tick_);
      if (c.room->config().entry_tones && c.room->members().size() > 1) {
        c.room->play_tone(c.room->join_tone());
      }
      break;
    case CommandType::kRemoveParticipant:
      c.room->remove(p);
      if (c.room->config().entry_tones && !c.room->members().empty()) {
        c.room->play_tone(c.room->leave_tone());
      }
      if (p->state.talk.talking()) events_.emit(EventType::kTalkingStopped, p->room(), p->id(), tick_);
      events_.emit(EventType::kLeft, c.room->id(), p->id(), tick_, c.value);
      retire({nullptr, p, recording_of(p)});
      break;
    case CommandType::kSetMuted:
      if (p->state.muted != on) {
        p->state.muted = on;
        events_.emit(on ? EventType::kMuted : EventType::kUnmuted, p->room(), p->id(), tick_);
      }
      break;
    case CommandType::kSetDeaf:
      if (p->state.deaf != on) {
        p->state.deaf = on;
        events_.emit(on ? EventType::kDeafened : EventType::kUndeafened, p->room(), p->id(), tick_);
      }
      break;
    case CommandType::kSetGainIn:
      p->state.gain_in = c.value;
      break;
    case CommandType::kSetGainOut:
      p->state.gain_out = c.value;
      if (c.group != nullptr) p->media_out()->group = c.group;
      break;
    case CommandType::kSetRouteGain:
      c.room->set_route_gain(p, c.other, c.value);
      break;
    case CommandType::kSetHold:
      if (p->state.held != on) {
        p->state.held = on;
        events_.emit(on ? EventType::kHeld : EventType::kResumed, p->room(), p->id(), tick_);
      }
      break;
    case CommandType::kPlayToRoom:
      c.room->play_announcement(c.clip);
      break;
    case CommandType::kPlayDtmf:
      p->state.tone = dtmf_tones_[static_cast<std::size_t>(c.value)];
      break;
    case CommandType::kPlayToParticipant:
      p->state.prompt = ClipPlayer(c.clip, ClipMode::kOneShot);
      p->state.prompt_active = true;
      break;
    case CommandType::kSetRecording:
      if (p != nullptr) {  // one participant's input
        p->state.recording = on ? &c.recording->tap() : nullptr;
        if (!on) retire({nullptr, nullptr, c.recording});
      } else if (on) {
        c.room->set_recording(&c.recording->tap());
        events_.emit(EventType::kRecordingStarted, c.room->id(), {}, tick_);
      } else {
        c.room->set_recording(nullptr);
        events_.emit(EventType::kRecordingStopped, c.room->id(), {}, tick_);
        retire({nullptr, nullptr, c.recording});
      }
      break;
  }
}

}  // namespace tutti::detail
