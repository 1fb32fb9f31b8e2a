// EngineCore's control plane for media: codec lookup, listener encode groups, audio clips
// (music, announcements, prompts), keypad feedback and recordings.
#include <string_view>

#include "engine_core.h"

namespace tutti::detail {

namespace {
// Listener groups a room may have: distinct (codec, rate, settings, output gain) keys.
constexpr std::size_t kMaxEncodeGroups = 32;
}  // namespace

Result<const codecs::CodecInfo*> find_codec(const MediaConfig& media) {
  for (const codecs::CodecInfo& info : codecs::registered_codecs()) {
    if (!info.is_audio) continue;
    if (media.clock_rate_hz != 0 && info.rtp_clock_rate_hz != media.clock_rate_hz) continue;
    if (const codecs::CodecInfo* match = codecs::find(media.codec, info.rtp_clock_rate_hz);
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
  auto group =
      EncodeGroup::create(codec, media, gain_out_db, config_.sample_rate_hz, config_.tick_ms);
  if (!group) return group.status();
  room.groups.push_back(std::move(*group));
  return room.groups.back().get();
}

Status EngineCore::attach_media(RoomRecord& room, Port& port, const codecs::CodecInfo& codec,
                                const MediaConfig& media, float gain_out_db) {
  if (media.jitter_min_ms < 0 || media.jitter_max_ms < media.jitter_min_ms ||
      media.jitter_max_ms > 1000) {
    return {StatusCode::kInvalidArgument,
            "jitter_min_ms/jitter_max_ms must satisfy 0 <= min <= "
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
    return Status{StatusCode::kFailedPrecondition,
                  "room " + std::to_string(record.room->id().value) + " is already recording to " +
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
  return enqueue(
      {CommandType::kPlayDtmf, nullptr, (*found)->port.get(), nullptr, static_cast<float>(index)});
}

Result<std::string> EngineCore::start_participant_recording(ParticipantId id) {
  std::lock_guard lock(mutex_);
  reap_retired();
  auto found = find_participant(id);
  if (!found) return found.status();
  ParticipantRecord& rec = **found;
  if (rec.recording) {
    return Status{
        StatusCode::kFailedPrecondition,
        id_text("participant", id.value) + " is already recording to " + rec.recording->path()};
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
    return {StatusCode::kFailedPrecondition,
            id_text("participant", id.value) + " is not recording"};
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

}  // namespace tutti::detail
