#include "conference.h"

#include <spdlog/spdlog.h>

#include <array>

namespace tutti::server {

const char* role_name(Role role) {
  switch (role) {
    case Role::kParticipant:
      return "participant";
    case Role::kModerator:
      return "moderator";
    case Role::kOwner:
      return "owner";
  }
  return "?";
}

const char* call_state_name(CallState state) {
  switch (state) {
    case CallState::kPin:
      return "pin";
    case CallState::kRefusing:
      return "refused";
    case CallState::kInRoom:
      return "active";
    case CallState::kInviting:
      return "invited";
    case CallState::kLeaving:
      return "leaving";
  }
  return "?";
}

Conference::Conference(ConferenceParts parts)
    : parts_(std::move(parts)), scripts_(parts_.engine, parts_.scripts_dir) {}

Status Conference::create_rooms() {
  for (const config::RoomEntry& entry : parts_.config->rooms) {
    RoomConfig room_config = config::to_room_config(entry, *parts_.config);
    // Automatic recording follows the conference (first join to last leave), one file each
    // time, instead of running from server start.
    if (room_config.record == RecordMode::kAuto) room_config.record = RecordMode::kOnDemand;
    scripts_.allow_participant_recording(room_config);
    Result<RoomId> created = parts_.engine->create_room(room_config);
    if (!created) return created.status();
    Room room;
    room.entry = entry;
    room.engine_room = created.value();
    rooms_.push_back(std::move(room));
  }
  mute_all_.assign(rooms_.size(), 0);
  return Status::ok();
}

int Conference::room_by_number(const std::string& number) const {
  for (std::size_t i = 0; i < rooms_.size(); ++i) {
    if (rooms_[i].entry.number == number) return static_cast<int>(i);
  }
  return -1;
}

int Conference::room_by_name(const std::string& name) const {
  for (std::size_t i = 0; i < rooms_.size(); ++i) {
    if (rooms_[i].entry.name == name) return static_cast<int>(i);
  }
  return -1;
}

Call* Conference::find(sip::CallId id) {
  auto it = calls_.find(id);
  return it == calls_.end() ? nullptr : &it->second;
}

Result<Call*> Conference::member(const std::string& room, uint64_t call) {
  const int index = room_by_name(room);
  if (index < 0) return Status{StatusCode::kNotFound, "no room named '" + room + "'"};
  Call* found = find(sip::CallId{call});
  if (found == nullptr || found->room != index ||
      (found->state != CallState::kInRoom && found->state != CallState::kInviting)) {
    return Status{StatusCode::kNotFound,
                  "no participant " + std::to_string(call) + " in room '" + room + "'"};
  }
  return found;
}

Role Conference::role_for(const Room& room, const Call& call) const {
  const std::string& owner = room.entry.owner;
  if (!owner.empty() && (owner == call.user || owner == call.uri)) return Role::kOwner;
  return call.role;
}

void Conference::on_invite(const sip::InviteInfo& invite) {
  Call& call = calls_[invite.call];
  call.id = invite.call;
  call.user = invite.from_user;
  call.name = invite.from_display.empty() ? invite.from_user : invite.from_display;
  call.uri = invite.from_uri;
  const int room = room_by_number(invite.request_user);
  if (room < 0) {
    spdlog::info("call {}: {} dialled unknown number '{}': 404", call.id.value, call.uri,
                 invite.request_user);
    agent().reject(call.id, 404, "No Such Conference");
    return;
  }
  call.room = room;
  Result<sdp::SessionDescription> offer = sdp::parse(invite.sdp);
  Result<std::string> answer =
      offer ? open_media(call, offer.value()) : Result<std::string>(offer.status());
  if (!answer) {
    spdlog::info("call {}: SDP refused: {}", call.id.value, answer.status().message());
    release_media(call);
    agent().reject(call.id, 488, "Not Acceptable Here");
    return;
  }
  const Room& target = rooms_[static_cast<std::size_t>(room)];
  const std::string why = refusal(target);
  if (!why.empty()) {
    spdlog::info("call {}: room '{}' {}", call.id.value, target.entry.name, why);
    refuse_early(call, why == "is locked" ? 403 : 486,
                 why == "is locked" ? "Conference Locked" : "Busy Here");
    return;
  }
  const bool needs_pin = target.entry.pin || target.entry.moderator_pin;
  Status started = needs_pin ? enter_private_room(call) : admit(call, room);
  if (!started) {
    spdlog::warn("call {}: cannot join: {}", call.id.value, started.to_string());
    release_media(call);
    agent().reject(call.id, 503, "Service Unavailable");
    return;
  }
  if (needs_pin) call.state = CallState::kPin;
  agent().answer(call.id, answer.value());
}

void Conference::on_established(sip::CallId id) {
  Call* call = find(id);
  if (call == nullptr) return;
  call->established = true;
  if (call->state == CallState::kPin) {
    call->pin_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    play(*call, parts_.prompts.enter_pin);
  }
}

void Conference::on_info_dtmf(sip::CallId id, char digit, int /*duration_ms*/) {
  if (Call* call = find(id)) on_digit(*call, digit);
}

void Conference::on_ringing(sip::CallId id) {
  if (Call* call = find(id)) publish_call("ringing", *call);
}

void Conference::on_closed(sip::CallId id, int status, const std::string& reason) {
  Call* call = find(id);
  if (call == nullptr) return;
  if (call->state == CallState::kInviting && call->room >= 0) {
    Room& room = rooms_[static_cast<std::size_t>(call->room)];
    std::erase(room.invited, id);
    publish_call("invite_failed", *call, {{"status", status}, {"reason", reason}});
  }
  if (call->state == CallState::kInRoom) leave_room(*call, false);
  release_media(*call);
  calls_.erase(id);
}

void Conference::pump() {
  handle_engine_events();
  handle_dtmf();
  handle_timers();
  scripts_.pump();
}

void Conference::handle_dtmf() {
  std::array<media::DtmfEvent, 64> digits;
  std::size_t n = 0;
  while ((n = parts_.hub->poll_dtmf(digits)) > 0) {
    for (std::size_t i = 0; i < n; ++i) {
      auto it = by_stream_.find(digits[i].stream.value);
      if (it == by_stream_.end()) continue;
      if (Call* call = find(it->second)) on_digit(*call, digits[i].digit);
    }
    if (n < digits.size()) break;
  }
}

void Conference::handle_timers() {
  const auto now = std::chrono::steady_clock::now();
  std::vector<sip::CallId> due;
  for (auto& [id, call] : calls_) {
    if (call.hangup_at && *call.hangup_at <= now) due.push_back(id);
    if (call.state == CallState::kPin && call.established && call.pin_deadline <= now) {
      call.digits.clear();
      check_pin(call);  // silence counts as a wrong entry
    }
  }
  for (sip::CallId id : due) {
    Call* call = find(id);
    if (call == nullptr) continue;
    call->hangup_at.reset();
    if (call->state == CallState::kRefusing) {
      agent().reject(id, call->refuse_status, call->refuse_reason);
    } else {
      agent().hangup(id);
    }
  }
}

}  // namespace tutti::server
