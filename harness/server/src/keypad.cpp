// Digits from the keypad (RFC 4733 or SIP INFO): the PIN prompt and the in-call menu.
//
// PIN: digits then '#' (or the exact PIN without '#'); the moderator PIN makes a moderator.
// Three wrong entries (a 20 s silence counts as one) and the server says goodbye and hangs up.
// Menu, everyone:   1 mute/unmute self    2 listen only on/off
// Menu, moderators: *3 lock/unlock   *5 mute/unmute all participants   *7 recording on/off
//                   *8 kick the last who joined   *9 end the conference for everyone
#include <spdlog/spdlog.h>

#include "conference.h"

namespace tutti::server {
namespace {
constexpr int kPinTries = 3;
constexpr std::size_t kMaxPinDigits = 32;
}  // namespace

void Conference::play(Call& call, const Prompt& prompt) {
  if (!call.participant) return;
  Status played = parts_.engine->play_to_participant(*call.participant, prompt.path);
  if (!played) spdlog::warn("call {}: prompt: {}", call.id.value, played.to_string());
}

void Conference::on_digit(Call& call, char digit) {
  publish_call("dtmf", call, {{"digit", std::string(1, digit)}});
  scripts_.digit(call, digit);
  switch (call.state) {
    case CallState::kPin:
      on_pin_digit(call, digit);
      break;
    case CallState::kInRoom:
      on_menu_digit(call, digit);
      break;
    default:
      break;
  }
}

void Conference::on_pin_digit(Call& call, char digit) {
  if (call.hangup_at) return;  // saying goodbye
  call.pin_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  const Room& room = rooms_[static_cast<std::size_t>(call.room)];
  if (digit == '#') {
    check_pin(call);
    return;
  }
  if (digit < '0' || digit > '9') return;
  if (call.digits.size() < kMaxPinDigits) call.digits.push_back(digit);
  // The exact PIN needs no '#'; only when no other PIN starts with it.
  const std::string& typed = call.digits;
  const auto exact = [&](const std::optional<std::string>& pin,
                         const std::optional<std::string>& other) {
    return pin && *pin == typed &&
           !(other && other->size() > typed.size() && other->starts_with(typed));
  };
  if (exact(room.entry.pin, room.entry.moderator_pin) ||
      exact(room.entry.moderator_pin, room.entry.pin)) {
    check_pin(call);
  }
}

void Conference::check_pin(Call& call) {
  const Room& room = rooms_[static_cast<std::size_t>(call.room)];
  const std::string typed = std::move(call.digits);
  call.digits.clear();
  const bool moderator = room.entry.moderator_pin && *room.entry.moderator_pin == typed;
  const bool participant = room.entry.pin ? *room.entry.pin == typed : typed.empty();
  call.pin_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  if (moderator || participant) {
    if (moderator) call.role = Role::kModerator;
    Status admitted = admit(call, call.room);
    if (!admitted) {
      spdlog::info("call {}: {}", call.id.value, admitted.message());
      call.state = CallState::kLeaving;
      leave_after(call, parts_.prompts.refused);
    }
    return;
  }
  ++call.pin_attempts;
  spdlog::info("call {}: wrong PIN for room '{}' ({} of {})", call.id.value, room.entry.name,
               call.pin_attempts, kPinTries);
  publish_call("pin_failed", call, {{"attempt", call.pin_attempts}});
  if (call.pin_attempts >= kPinTries) {
    call.state = CallState::kLeaving;
    leave_after(call, parts_.prompts.goodbye);
    return;
  }
  play(call, parts_.prompts.bad_pin);
}

void Conference::on_menu_digit(Call& call, char digit) {
  if (call.menu_star) {
    call.menu_star = false;
    if (call.role == Role::kParticipant) {
      play(call, parts_.prompts.denied);
      return;
    }
    on_moderator_digit(call, digit);
    return;
  }
  switch (digit) {
    case '*':
      call.menu_star = true;
      break;
    case '1':
      if (call.muted && call.muted_by_moderator && call.role == Role::kParticipant) {
        play(call, parts_.prompts.denied);
        break;
      }
      call.muted = !call.muted;
      call.muted_by_moderator = false;
      apply_mute(call);
      play(call, call.muted ? parts_.prompts.on : parts_.prompts.off);
      break;
    case '2':
      call.listen_only = !call.listen_only;
      apply_mute(call);
      play(call, call.listen_only ? parts_.prompts.on : parts_.prompts.off);
      break;
    default:
      break;
  }
}

void Conference::on_moderator_digit(Call& call, char digit) {
  Room& room = rooms_[static_cast<std::size_t>(call.room)];
  const std::string& name = room.entry.name;
  switch (digit) {
    case '3':
      (void)set_locked(name, !room.locked);
      play(call, room.locked ? parts_.prompts.on : parts_.prompts.off);
      break;
    case '5': {
      auto& all = mute_all_[static_cast<std::size_t>(call.room)];
      all = !all;
      for (sip::CallId id : room.members) {
        Call* other = find(id);
        if (other == nullptr || other->role != Role::kParticipant) continue;
        other->muted = other->muted_by_moderator = all != 0;
        apply_mute(*other);
      }
      play(call, all ? parts_.prompts.on : parts_.prompts.off);
      break;
    }
    case '7': {
      Result<std::string> recording = set_recording(name, !room.recording);
      play(call, !recording ? parts_.prompts.denied
                            : (room.recording ? parts_.prompts.on : parts_.prompts.off));
      break;
    }
    case '8': {
      for (auto it = room.members.rbegin(); it != room.members.rend(); ++it) {
        if (*it == call.id) continue;
        (void)kick(name, it->value);
        play(call, parts_.prompts.off);
        return;
      }
      play(call, parts_.prompts.denied);
      break;
    }
    case '9':
      (void)end_conference(name);
      break;
    default:
      play(call, parts_.prompts.denied);
      break;
  }
}

}  // namespace tutti::server
