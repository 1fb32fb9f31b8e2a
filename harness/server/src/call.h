// The state `tutti serve` keeps per SIP call and per configured room. Owned by the Conference
// and touched only on the SIP thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tutti/config/serve_config.h"
#include "tutti/engine.h"
#include "tutti/media/media_hub.h"
#include "tutti/sdp/sdp.h"
#include "tutti/sip/agent.h"

namespace tutti::server {

using SteadyTime = std::chrono::steady_clock::time_point;
using WallTime = std::chrono::system_clock::time_point;

enum class Role { kParticipant, kModerator, kOwner };
const char* role_name(Role role);

enum class CallState {
  kPin,       // answered, in a private room, entering the PIN
  kRefusing,  // early media: a prompt, then a final failure status
  kInRoom,    // admitted: mixed in its room
  kInviting,  // dial-out placed, not answered yet (listed as invited)
  kLeaving,   // a goodbye prompt plays, then BYE
};
const char* call_state_name(CallState state);

struct Call {
  sip::CallId id;
  std::string name;  // display name, else the SIP user
  std::string user;  // SIP user of the far end
  std::string uri;
  Role role = Role::kParticipant;
  CallState state = CallState::kPin;
  int room = -1;  // index of the room it is in, or is entering/invited to
  bool established = false;

  // Media: the hub stream, what was negotiated, and the engine participant it feeds.
  std::optional<media::StreamId> stream;
  bool stream_started = false;
  uint16_t local_port = 0;
  sdp::Negotiated media;
  uint64_t sdp_session = 0;
  uint64_t sdp_version = 0;
  std::optional<RoomId> private_room;  // the one-member room of the PIN prompt or a refusal
  std::optional<ParticipantId> participant;
  ParticipantLink link;

  // Conference state.
  bool muted = false;               // by itself or a moderator
  bool muted_by_moderator = false;  // then self-unmute is refused
  bool listen_only = false;
  bool on_hold = false;      // by re-INVITE: the far end does not both send and receive
  bool held_by_api = false;  // POST .../hold
  bool kicked = false;
  bool talking = false;
  WallTime joined_at{};
  SteadyTime joined_steady{};

  // Keypad: PIN entry and the in-call menu.
  std::string digits;
  int pin_attempts = 0;
  SteadyTime pin_deadline{};
  bool menu_star = false;  // '*' typed: the next digit is a moderator command
  // A timed action: end the call (BYE, or the refusal status) when the prompt has played.
  std::optional<SteadyTime> hangup_at;
  int refuse_status = 0;
  std::string refuse_reason;
};

struct Room {
  config::RoomEntry entry;
  RoomId engine_room;
  bool locked = false;
  bool recording = false;
  std::string recording_path;
  std::vector<sip::CallId> members;  // admitted, in join order
  std::vector<sip::CallId> invited;  // dial-outs not answered yet
};

}  // namespace tutti::server
