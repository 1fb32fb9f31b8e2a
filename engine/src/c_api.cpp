// The C ABI over the C++ API: maps Status to tutti_status plus a thread-local message, and
// never lets an exception cross into C.
#include <new>
#include <string>

#include "tutti/engine.h"
#include "tutti/tutti.h"

struct tutti_engine {
  std::unique_ptr<tutti::Engine> engine;
};
struct tutti_link {
  tutti::ParticipantLink link;
};

namespace {

thread_local std::string last_error;

tutti_status to_c(const tutti::Status& s) {
  if (s.is_ok()) return TUTTI_OK;
  last_error = s.to_string();
  switch (s.code()) {
    case tutti::StatusCode::kInvalidArgument:
      return TUTTI_INVALID_ARGUMENT;
    case tutti::StatusCode::kNotFound:
      return TUTTI_NOT_FOUND;
    case tutti::StatusCode::kResourceExhausted:
      return TUTTI_RESOURCE_EXHAUSTED;
    case tutti::StatusCode::kUnavailable:
      return TUTTI_UNAVAILABLE;
    case tutti::StatusCode::kFailedPrecondition:
    case tutti::StatusCode::kPermissionDenied:
      return TUTTI_FAILED_PRECONDITION;
    default:
      return TUTTI_INTERNAL;
  }
}

tutti_status null_argument(const char* what) {
  last_error = std::string("invalid_argument: ") + what + " is NULL";
  return TUTTI_INVALID_ARGUMENT;
}

template <typename F>
tutti_status guarded(F&& f) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    last_error = "resource_exhausted: out of memory";
    return TUTTI_RESOURCE_EXHAUSTED;
  } catch (const std::exception& e) {
    last_error = std::string("internal: ") + e.what();
    return TUTTI_INTERNAL;
  }
}

tutti::ParticipantId pid(uint32_t id) { return tutti::ParticipantId{id}; }

}  // namespace

extern "C" {

void tutti_engine_config_init(tutti_engine_config* c) {
  const tutti::EngineConfig d;
  *c = {d.tick_ms, d.sample_rate_hz, d.threads, d.max_rooms, d.max_participants};
}

void tutti_room_config_init(tutti_room_config* c) {
  const tutti::RoomConfig d;
  *c = {"", d.max_participants, d.max_speakers};
}

const char* tutti_last_error(void) { return last_error.c_str(); }

tutti_status tutti_engine_create(const tutti_engine_config* c, tutti_engine** out) {
  if (c == nullptr) return null_argument("config");
  if (out == nullptr) return null_argument("out");
  return guarded([&] {
    tutti::EngineConfig config;
    config.tick_ms = c->tick_ms;
    config.sample_rate_hz = c->sample_rate_hz;
    config.threads = c->threads;
    config.max_rooms = c->max_rooms;
    config.max_participants = c->max_participants;
    auto engine = tutti::Engine::create(config);
    if (!engine) return to_c(engine.status());
    *out = new tutti_engine{std::move(*engine)};
    return TUTTI_OK;
  });
}

void tutti_engine_destroy(tutti_engine* e) { delete e; }
size_t tutti_engine_frame_samples(const tutti_engine* e) { return e->engine->frame_samples(); }
void tutti_engine_tick(tutti_engine* e) { e->engine->tick(); }
tutti_status tutti_engine_start(tutti_engine* e) {
  return guarded([&] { return to_c(e->engine->start()); });
}
void tutti_engine_stop(tutti_engine* e) { e->engine->stop(); }

size_t tutti_engine_poll_events(tutti_engine* e, tutti_event* events, size_t capacity) {
  size_t n = 0;
  tutti::Event event;
  while (n < capacity && e->engine->poll_events({&event, 1}) == 1) {
    events[n++] = {static_cast<tutti_event_type>(event.type), event.room.value,
                   event.participant.value, event.tick, event.value};
  }
  return n;
}

tutti_status tutti_room_create(tutti_engine* e, const tutti_room_config* c, uint32_t* room_id) {
  if (c == nullptr) return null_argument("config");
  if (room_id == nullptr) return null_argument("room_id");
  return guarded([&] {
    tutti::RoomConfig config;
    config.name = c->name != nullptr ? c->name : "";
    config.max_participants = c->max_participants;
    config.max_speakers = c->max_speakers;
    auto room = e->engine->create_room(config);
    if (!room) return to_c(room.status());
    *room_id = room->value;
    return TUTTI_OK;
  });
}

tutti_status tutti_room_end(tutti_engine* e, uint32_t room_id) {
  return guarded([&] { return to_c(e->engine->end_room(tutti::RoomId{room_id})); });
}

tutti_status tutti_participant_add(tutti_engine* e, uint32_t room_id, const char* name,
                                   uint32_t* participant_id, tutti_link** link) {
  if (participant_id == nullptr) return null_argument("participant_id");
  if (link == nullptr) return null_argument("link");
  return guarded([&] {
    tutti::ParticipantConfig config;
    config.name = name != nullptr ? name : "";
    auto added = e->engine->add_participant(tutti::RoomId{room_id}, config);
    if (!added) return to_c(added.status());
    *participant_id = added->id().value;
    *link = new tutti_link{*added};
    return TUTTI_OK;
  });
}

tutti_status tutti_participant_remove(tutti_engine* e, uint32_t id) {
  return guarded([&] { return to_c(e->engine->remove_participant(pid(id))); });
}
tutti_status tutti_participant_kick(tutti_engine* e, uint32_t id) {
  return guarded([&] { return to_c(e->engine->kick(pid(id))); });
}
tutti_status tutti_participant_mute(tutti_engine* e, uint32_t id, int muted) {
  return guarded([&] { return to_c(e->engine->set_muted(pid(id), muted != 0)); });
}
tutti_status tutti_participant_deaf(tutti_engine* e, uint32_t id, int deaf) {
  return guarded([&] { return to_c(e->engine->set_deaf(pid(id), deaf != 0)); });
}
tutti_status tutti_participant_gain_in(tutti_engine* e, uint32_t id, float gain_db) {
  return guarded([&] { return to_c(e->engine->set_gain_in_db(pid(id), gain_db)); });
}
tutti_status tutti_participant_gain_out(tutti_engine* e, uint32_t id, float gain_db) {
  return guarded([&] { return to_c(e->engine->set_gain_out_db(pid(id), gain_db)); });
}

tutti_status tutti_participant_hold(tutti_engine* e, uint32_t id, int held) {
  return guarded([&] { return to_c(e->engine->set_hold(pid(id), held != 0)); });
}
tutti_status tutti_room_play(tutti_engine* e, uint32_t room_id, const char* path) {
  if (path == nullptr) return null_argument("path");
  return guarded([&] { return to_c(e->engine->play_to_room(tutti::RoomId{room_id}, path)); });
}
tutti_status tutti_participant_play(tutti_engine* e, uint32_t id, const char* path) {
  if (path == nullptr) return null_argument("path");
  return guarded([&] { return to_c(e->engine->play_to_participant(pid(id), path)); });
}

tutti_status tutti_participant_add_codec(tutti_engine* e, uint32_t room_id, const char* name,
                                         const char* codec, uint32_t* participant_id,
                                         tutti_link** link) {
  if (codec == nullptr) return null_argument("codec");
  if (participant_id == nullptr) return null_argument("participant_id");
  if (link == nullptr) return null_argument("link");
  return guarded([&] {
    tutti::ParticipantConfig config;
    config.name = name != nullptr ? name : "";
    config.media.codec = codec;
    auto added = e->engine->add_participant(tutti::RoomId{room_id}, config);
    if (!added) return to_c(added.status());
    *participant_id = added->id().value;
    *link = new tutti_link{*added};
    return TUTTI_OK;
  });
}

int tutti_link_push_rtp(tutti_link* l, const tutti_rtp_in* p) {
  tutti::RtpInput in;
  in.seq = p->seq;
  in.timestamp = p->timestamp;
  in.ssrc = p->ssrc;
  in.payload_type = p->payload_type;
  in.marker = p->marker != 0;
  in.audio_level_dbov = p->audio_level_dbov;
  in.arrival_ms = p->arrival_ms;
  in.payload = {p->payload, p->payload_bytes};
  return l->link.try_push_rtp(in) ? 1 : 0;
}

long tutti_link_pull_rtp(tutti_link* l, uint8_t* payload, size_t capacity, uint64_t* tick) {
  const tutti::RtpOutput out = l->link.try_pull_rtp({payload, capacity});
  if (!out.ready) return -1;
  if (tick != nullptr) *tick = out.tick;
  return static_cast<long>(out.bytes);
}

int tutti_link_push_input(tutti_link* l, const int16_t* pcm, size_t samples) {
  return l->link.try_push_input({pcm, samples}) ? 1 : 0;
}
size_t tutti_link_pull_output(tutti_link* l, int16_t* pcm, size_t capacity) {
  return l->link.try_pull_output({pcm, capacity});
}
void tutti_link_release(tutti_link* l) { delete l; }

}  // extern "C"
