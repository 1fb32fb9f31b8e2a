// A call's media: the SDP answer or offer, the media hub stream and the engine participant it
// feeds, and moving that participant between rooms.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "conference.h"

namespace tutti::server {
namespace {

// The engine's codec name for an SDP encoding name.
std::string engine_codec(const std::string& sdp_name) {
  std::string upper = sdp_name;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return upper == "OPUS" ? "opus" : upper;
}

media::StreamParams stream_params(const Call& call) {
  const sdp::Negotiated& m = call.media;
  media::StreamParams params;
  params.link = call.link;
  params.payload_type = static_cast<uint8_t>(m.codec.payload_type);
  params.clock_rate_hz = m.codec.clock_rate;
  if (m.telephone_event_pt) params.telephone_event_pt = static_cast<uint8_t>(*m.telephone_event_pt);
  if (m.audio_level_ext_id) params.audio_level_ext_id = static_cast<uint8_t>(*m.audio_level_ext_id);
  params.remote_address = m.remote_address;
  params.remote_rtp_port = m.remote_port;
  params.remote_rtcp_port = m.rtcp_mux ? m.remote_port : static_cast<uint16_t>(m.remote_port + 1);
  params.send = sdp::sends(m.local) && m.remote_address != "0.0.0.0" && m.remote_port != 0;
  params.receive = sdp::receives(m.local);
  return params;
}

}  // namespace

Result<std::string> Conference::open_media(Call& call, const sdp::SessionDescription& offer) {
  sdp::LocalMedia local;
  local.address = parts_.media_address;
  local.session_id = call.sdp_session ? call.sdp_session : ++sdp_session_;
  local.session_version = ++call.sdp_version;
  if (!call.stream) {
    Result<media::OpenedStream> opened = parts_.hub->open_stream();
    if (!opened) return opened.status();
    call.stream = opened->id;
    call.local_port = opened->rtp_port;
    by_stream_[opened->id.value] = call.id;
  } else if (!call.media.codec.name.empty()) {
    // A re-offer: keep the codec in use when it is still offered, so the engine's decoder and
    // encoder stay as they are.
    std::erase(local.codecs, engine_codec(call.media.codec.name));
    local.codecs.insert(local.codecs.begin(), call.media.codec.name);
  }
  local.port = call.local_port;
  call.sdp_session = local.session_id;
  Result<sdp::Negotiated> negotiated = sdp::answer(offer, local);
  if (!negotiated) return negotiated.status();
  call.media = negotiated.value();
  return call.media.sdp;
}

Result<std::string> Conference::open_media_offer(Call& call) {
  Result<media::OpenedStream> opened = parts_.hub->open_stream();
  if (!opened) return opened.status();
  call.stream = opened->id;
  call.local_port = opened->rtp_port;
  by_stream_[opened->id.value] = call.id;
  sdp::LocalMedia local;
  local.address = parts_.media_address;
  local.port = call.local_port;
  local.session_id = call.sdp_session = ++sdp_session_;
  local.session_version = ++call.sdp_version;
  return sdp::make_offer(local);
}

Status Conference::start_media(Call& call, RoomId engine_room) {
  ParticipantConfig participant;
  participant.name = call.name;
  participant.media.codec = engine_codec(call.media.codec.name);
  participant.media.clock_rate_hz = call.media.codec.clock_rate;
  participant.muted = call.muted || call.listen_only;
  Result<ParticipantLink> link = parts_.engine->add_participant(engine_room, participant);
  if (!link) return link.status();
  if (call.participant) {
    by_participant_.erase(call.participant->value);
    (void)parts_.engine->remove_participant(*call.participant);
  }
  call.link = link.value();
  call.participant = link->id();
  by_participant_[link->id().value] = call.id;
  if (call.on_hold || call.held_by_api) (void)parts_.engine->set_hold(link->id(), true);
  const media::StreamParams params = stream_params(call);
  Status status = call.stream_started ? parts_.hub->update(*call.stream, params)
                                      : parts_.hub->start(*call.stream, params);
  call.stream_started = call.stream_started || status.is_ok();
  return status;
}

Status Conference::move_media(Call& call, RoomId engine_room) {
  Status moved = start_media(call, engine_room);
  if (!moved) return moved;
  if (call.private_room) {
    (void)parts_.engine->end_room(*call.private_room);
    call.private_room.reset();
  }
  return Status::ok();
}

Status Conference::enter_private_room(Call& call) {
  RoomConfig config;
  config.name = "call-" + std::to_string(call.id.value);
  config.max_participants = 1;
  Result<RoomId> room = parts_.engine->create_room(config);
  if (!room) return room.status();
  call.private_room = room.value();
  return start_media(call, room.value());
}

void Conference::apply_direction(Call& call) {
  call.on_hold = call.media.local != sdp::Direction::kSendRecv;
  if (call.participant) {
    (void)parts_.engine->set_hold(*call.participant, call.on_hold || call.held_by_api);
  }
  if (call.stream && call.stream_started) {
    Status updated = parts_.hub->update(*call.stream, stream_params(call));
    if (!updated) spdlog::warn("call {}: media update: {}", call.id.value, updated.to_string());
  }
}

void Conference::release_media(Call& call) {
  if (call.participant) {
    by_participant_.erase(call.participant->value);
    (void)parts_.engine->remove_participant(*call.participant);
    call.participant.reset();
  }
  if (call.private_room) {
    (void)parts_.engine->end_room(*call.private_room);
    call.private_room.reset();
  }
  if (call.stream) {
    by_stream_.erase(call.stream->value);
    parts_.hub->close(*call.stream);
    call.stream.reset();
  }
  call.link = ParticipantLink{};
}

Result<std::string> Conference::on_reoffer(sip::CallId id, const std::string& sdp_offer) {
  Call* call = find(id);
  if (call == nullptr) return Status{StatusCode::kNotFound, "no such call"};
  Result<sdp::SessionDescription> offer = sdp::parse(sdp_offer);
  if (!offer) return offer.status();
  const std::string old_codec = call->media.codec.name;
  const sdp::Negotiated before = call->media;
  Result<std::string> answer = open_media(*call, offer.value());
  if (!answer) {
    call->media = before;
    return answer.status();
  }
  const bool was_held = call->on_hold;
  if (engine_codec(old_codec) != engine_codec(call->media.codec.name) && call->participant) {
    // A new codec needs a new engine participant in the same room.
    const RoomId room = call->private_room
                            ? *call->private_room
                            : rooms_[static_cast<std::size_t>(call->room)].engine_room;
    Status restarted = start_media(*call, room);
    if (!restarted) {
      call->media = before;
      return restarted;
    }
  }
  apply_direction(*call);
  if (call->on_hold != was_held && call->state == CallState::kInRoom) {
    publish_call(call->on_hold ? "held" : "resumed", *call);
    scripts_.held(*call);
  }
  return answer;
}

}  // namespace tutti::server
