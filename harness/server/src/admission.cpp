// Who gets into a room and how they leave: refusals with a prompt, admission, leaving.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "conference.h"

namespace tutti::server {

std::string Conference::refusal(const Room& room) const {
  if (room.locked) return "is locked";
  if (static_cast<int>(room.members.size()) >= room.entry.max_participants) return "is full";
  return {};
}

void Conference::refuse_early(Call& call, int status, const std::string& reason) {
  // 183 with our SDP and a prompt, then the final status once it has played. Without media
  // (no stream, no private room) the status goes out at once.
  call.state = CallState::kRefusing;
  call.refuse_status = status;
  call.refuse_reason = reason;
  if (!call.stream || !enter_private_room(call)) {
    agent().reject(call.id, status, reason);
    return;
  }
  agent().progress(call.id, 183, call.media.sdp);
  play(call, parts_.prompts.refused);
  call.hangup_at = std::chrono::steady_clock::now() +
                   std::chrono::milliseconds(parts_.prompts.refused.duration_ms + 300);
}

Status Conference::admit(Call& call, int room_index) {
  Room& room = rooms_[static_cast<std::size_t>(room_index)];
  const std::string why = refusal(room);
  if (!why.empty()) {
    return Status{StatusCode::kFailedPrecondition, "room '" + room.entry.name + "' " + why};
  }
  const bool moving = call.state == CallState::kInRoom && call.room != room_index;
  const bool dialled_out = call.state == CallState::kInviting;
  if (moving) leave_room(call, false);
  Status started = move_media(call, room.engine_room);
  if (!started) return started;
  std::erase(room.invited, call.id);
  call.room = room_index;
  call.role = role_for(room, call);
  call.state = CallState::kInRoom;
  call.digits.clear();
  call.menu_star = false;
  call.joined_at = std::chrono::system_clock::now();
  call.joined_steady = std::chrono::steady_clock::now();
  room.members.push_back(call.id);
  if (mute_all_[static_cast<std::size_t>(room_index)] && call.role == Role::kParticipant) {
    call.muted = call.muted_by_moderator = true;
    apply_mute(call);
  }
  spdlog::info("call {}: {} joined room '{}' as {}", call.id.value, call.name, room.entry.name,
               role_name(call.role));
  publish_call("joined", call);
  scripts_.joined(room_index, room, call, dialled_out);
  if (room.entry.record == RecordMode::kAuto && !room.recording) {
    Result<std::string> path = set_recording(room.entry.name, true);
    if (!path)
      spdlog::warn("room '{}': auto recording: {}", room.entry.name, path.status().message());
  }
  return Status::ok();
}

void Conference::leave_room(Call& call, bool kicked) {
  if (call.state != CallState::kInRoom || call.room < 0) return;
  Room& room = rooms_[static_cast<std::size_t>(call.room)];
  std::erase(room.members, call.id);
  publish_call("left", call, {{"kicked", kicked}});
  scripts_.left(call.room, room, call, kicked);
  spdlog::info("call {}: {} left room '{}'{}", call.id.value, call.name, room.entry.name,
               kicked ? " (kicked)" : "");
  if (room.members.empty()) {
    mute_all_[static_cast<std::size_t>(call.room)] = 0;
    if (room.recording && room.entry.record == RecordMode::kAuto) {
      (void)set_recording(room.entry.name, false);
    }
  }
  call.state = CallState::kLeaving;
}

void Conference::leave_after(Call& call, const Prompt& prompt) {
  play(call, prompt);
  call.hangup_at =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(prompt.duration_ms + 300);
}

}  // namespace tutti::server
