// Moderation and call control, for the HTTP API and the keypad menu: mute, kick, hold, lock,
// end, recording, dial-out (invite) and moves between rooms (API and SIP REFER).
#include <spdlog/spdlog.h>

#include "conference.h"

namespace tutti::server {

Status Conference::set_muted(const std::string& room, uint64_t id, bool muted) {
  Result<Call*> call = member(room, id);
  if (!call) return call.status();
  Call& c = **call;
  c.muted = muted;
  c.muted_by_moderator = muted;
  apply_mute(c);
  return Status::ok();
}

Status Conference::kick(const std::string& room, uint64_t id) {
  Result<Call*> call = member(room, id);
  if (!call) return call.status();
  Call& c = **call;
  if (c.state == CallState::kInviting) {
    agent().hangup(c.id);  // cancels the dial-out
    return Status::ok();
  }
  c.kicked = true;
  leave_room(c, true);
  if (c.participant) (void)parts_.engine->set_deaf(*c.participant, true);
  agent().hangup(c.id);
  return Status::ok();
}

Status Conference::set_hold(const std::string& room, uint64_t id, bool held) {
  Result<Call*> call = member(room, id);
  if (!call) return call.status();
  Call& c = **call;
  if (c.state != CallState::kInRoom) {
    return Status{StatusCode::kFailedPrecondition, "participant has not answered yet"};
  }
  c.held_by_api = held;
  if (c.participant) (void)parts_.engine->set_hold(*c.participant, c.on_hold || c.held_by_api);
  publish_call(held ? "held" : "resumed", c);
  return Status::ok();
}

Status Conference::send_dtmf(const std::string& room, uint64_t id, const std::string& digits) {
  Result<Call*> call = member(room, id);
  if (!call) return call.status();
  Call& c = **call;
  if (digits.empty() || digits.size() > 16 ||
      digits.find_first_not_of("0123456789*#ABCD") != std::string::npos) {
    return Status{StatusCode::kInvalidArgument, "digits must be 1 to 16 of 0-9 * # A-D"};
  }
  if (c.state != CallState::kInRoom || !c.stream) {
    return Status{StatusCode::kFailedPrecondition, "participant has not answered yet"};
  }
  if (!c.media.telephone_event_pt) {
    return Status{StatusCode::kFailedPrecondition,
                  "this call agreed no telephone-event (RFC 4733) payload type"};
  }
  for (char digit : digits) {
    Status sent = parts_.hub->send_dtmf(*c.stream, digit, 100);
    if (!sent) return sent;
  }
  return Status::ok();
}

Status Conference::set_locked(const std::string& name, bool locked) {
  const int index = room_by_name(name);
  if (index < 0) return Status{StatusCode::kNotFound, "no room named '" + name + "'"};
  Room& room = rooms_[static_cast<std::size_t>(index)];
  room.locked = locked;
  publish(locked ? "locked" : "unlocked", room, nlohmann::json::object());
  return Status::ok();
}

Status Conference::end_conference(const std::string& name) {
  const int index = room_by_name(name);
  if (index < 0) return Status{StatusCode::kNotFound, "no room named '" + name + "'"};
  Room& room = rooms_[static_cast<std::size_t>(index)];
  scripts_.ending(index);
  const std::vector<sip::CallId> everyone = room.members;
  const std::vector<sip::CallId> invited = room.invited;
  for (sip::CallId id : everyone) {
    if (Call* call = find(id)) leave_room(*call, false);
    agent().hangup(id);
  }
  for (sip::CallId id : invited) agent().hangup(id);
  // Callers still at the PIN prompt of this room go too.
  for (auto& [id, call] : calls_) {
    if (call.room == index && call.state == CallState::kPin) agent().hangup(id);
  }
  if (room.recording) (void)set_recording(name, false);
  room.locked = false;
  publish("ended", room, nlohmann::json::object());
  return Status::ok();
}

Result<std::string> Conference::set_recording(const std::string& name, bool on) {
  const int index = room_by_name(name);
  if (index < 0) return Status{StatusCode::kNotFound, "no room named '" + name + "'"};
  Room& room = rooms_[static_cast<std::size_t>(index)];
  if (room.entry.record == RecordMode::kOff) {
    return Status{StatusCode::kPermissionDenied, "room '" + name + "' does not record"};
  }
  if (on == room.recording) return room.recording_path;
  if (on) {
    Result<std::string> path = parts_.engine->start_recording(room.engine_room);
    if (!path) return path.status();
    room.recording_path = path.value();
  } else {
    Status stopped = parts_.engine->stop_recording(room.engine_room);
    if (!stopped) return stopped;
  }
  room.recording = on;
  publish(on ? "recording_started" : "recording_stopped", room, {{"path", room.recording_path}});
  return room.recording_path;
}

Result<uint64_t> Conference::invite(const std::string& name, const std::string& uri,
                                    const std::string& display) {
  const int index = room_by_name(name);
  if (index < 0) return Status{StatusCode::kNotFound, "no room named '" + name + "'"};
  if (!uri.starts_with("sip:") || uri.size() < 5) {
    return Status{StatusCode::kInvalidArgument, "uri must be a sip: URI (got '" + uri + "')"};
  }
  Room& room = rooms_[static_cast<std::size_t>(index)];
  const std::string why = refusal(room);
  if (!why.empty()) return Status{StatusCode::kFailedPrecondition, "room '" + name + "' " + why};
  Call pending;
  Result<std::string> offer = open_media_offer(pending);
  if (!offer) {
    release_media(pending);
    return offer.status();
  }
  Result<sip::CallId> placed = agent().invite(uri, room.entry.name, offer.value());
  if (!placed) {
    release_media(pending);
    return placed.status();
  }
  by_stream_[pending.stream->value] = placed.value();
  Call& call = calls_[placed.value()];
  call = std::move(pending);
  call.id = placed.value();
  call.uri = uri;
  call.name = display.empty() ? uri : display;
  call.user =
      uri.substr(4, uri.find('@') == std::string::npos ? std::string::npos : uri.find('@') - 4);
  call.state = CallState::kInviting;
  call.room = index;
  room.invited.push_back(call.id);
  publish_call("invited", call, {{"uri", uri}});
  return call.id.value;
}

void Conference::on_answered(sip::CallId id, const std::string& sdp_answer) {
  Call* call = find(id);
  if (call == nullptr || call->state != CallState::kInviting) return;
  Result<sdp::SessionDescription> answer = sdp::parse(sdp_answer);
  sdp::LocalMedia local;
  local.address = parts_.media_address;
  local.port = call->local_port;
  Result<sdp::Negotiated> negotiated =
      answer ? sdp::accept_answer(local, answer.value()) : Result<sdp::Negotiated>(answer.status());
  Status joined = negotiated ? Status::ok() : negotiated.status();
  if (joined) {
    call->media = negotiated.value();
    call->on_hold = call->media.local != sdp::Direction::kSendRecv;
    joined = admit(*call, call->room);
  }
  if (!joined) {
    spdlog::info("call {}: answered but cannot join: {}", id.value, joined.message());
    std::erase(rooms_[static_cast<std::size_t>(call->room)].invited, id);
    publish_call("invite_failed", *call, {{"reason", joined.message()}});
    call->state = CallState::kLeaving;
    agent().hangup(id);
  }
}

Status Conference::move(uint64_t id, const std::string& name) {
  Call* call = find(sip::CallId{id});
  if (call == nullptr) return Status{StatusCode::kNotFound, "no call " + std::to_string(id)};
  const int index = room_by_name(name);
  if (index < 0) return Status{StatusCode::kNotFound, "no room named '" + name + "'"};
  if (call->state != CallState::kInRoom && call->state != CallState::kPin) {
    return Status{StatusCode::kFailedPrecondition,
                  std::string("call is ") + call_state_name(call->state) + ", not in a room"};
  }
  if (call->state == CallState::kInRoom && call->room == index) return Status::ok();
  return admit(*call, index);
}

Result<std::string> Conference::set_script(const std::string& name, bool on) {
  const int index = room_by_name(name);
  if (index < 0) return Status{StatusCode::kNotFound, "no room named '" + name + "'"};
  if (!on) return scripts_.stop(index);
  const Room& room = rooms_[static_cast<std::size_t>(index)];
  std::vector<const Call*> members;
  for (sip::CallId id : room.members) {
    if (const Call* call = find(id)) members.push_back(call);
  }
  return scripts_.start(index, room, members);
}

void Conference::note_moderator(const std::string& name, const std::string& verb, uint64_t call) {
  if (const int index = room_by_name(name); index >= 0) scripts_.moderator(index, verb, call);
}

int Conference::on_refer(sip::CallId id, const std::string& refer_to) {
  Call* call = find(id);
  if (call == nullptr) return 481;
  // Refer-To: <sip:1001@host;transport=udp?headers> -> "1001"
  std::string user = refer_to;
  if (const auto lt = user.find('<'); lt != std::string::npos) user = user.substr(lt + 1);
  if (const auto colon = user.find(':'); colon != std::string::npos) user = user.substr(colon + 1);
  user = user.substr(0, user.find_first_of("@;>?"));
  const int index = room_by_number(user);
  if (index < 0) return 404;
  if (call->state != CallState::kInRoom && call->state != CallState::kPin) return 488;
  agent().post([this, id, index] {
    Call* c = find(id);
    if (c == nullptr) return;
    Status moved =
        (c->state == CallState::kInRoom && c->room == index) ? Status::ok() : admit(*c, index);
    if (!moved) spdlog::info("call {}: REFER: {}", id.value, moved.message());
    agent().refer_done(id, moved ? 200 : 486);
  });
  return 202;
}

void Conference::end_all() {
  scripts_.finish_all();
  for (Room& room : rooms_) {
    if (room.recording) (void)set_recording(room.entry.name, false);
  }
  std::vector<sip::CallId> ids;
  for (const auto& [id, call] : calls_) ids.push_back(id);
  for (sip::CallId id : ids) agent().hangup(id);
}

}  // namespace tutti::server
