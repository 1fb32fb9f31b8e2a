// The conference logic of `tutti serve`: the dial plan (number -> room), the PIN prompt, the
// keypad menu, moderation, dial-out, moves between rooms and the roster. It is the SIP agent's
// Handler, and every member function runs on the SIP thread (the HTTP API posts its commands
// there), so the state below needs no lock.
#pragma once

#include <atomic>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "call.h"
#include "event_bus.h"
#include "prompts.h"
#include "script_recorder.h"

namespace tutti::server {

struct ConferenceParts {
  Engine* engine = nullptr;
  media::MediaHub* hub = nullptr;
  EventBus* bus = nullptr;
  const config::ServeConfig* config = nullptr;
  Prompts prompts;
  std::string media_address;  // the address put into our SDP (where the hub's sockets are)
  std::string scripts_dir;    // --record-scripts: every conference as a scenario (empty: off)
};

class Conference final : public sip::Handler {
 public:
  explicit Conference(ConferenceParts parts);
  // Control, before the agent starts delivering calls: one engine room per configured room.
  Status create_rooms();
  void attach(sip::Agent* agent) { agent_.store(agent); }

  // sip::Handler
  void on_invite(const sip::InviteInfo& invite) override;
  void on_established(sip::CallId call) override;
  Result<std::string> on_reoffer(sip::CallId call, const std::string& sdp_offer) override;
  void on_info_dtmf(sip::CallId call, char digit, int duration_ms) override;
  int on_refer(sip::CallId call, const std::string& refer_to_uri) override;
  void on_answered(sip::CallId call, const std::string& sdp_answer) override;
  void on_ringing(sip::CallId call) override;
  void on_closed(sip::CallId call, int status, const std::string& reason) override;

  // Every ~20 ms: engine events, received digits, timed prompts and hang-ups.
  void pump();

  // Commands of the HTTP API and the keypad menu. Rooms by name, participants by call id.
  Result<nlohmann::json> rooms_json() const;
  Result<nlohmann::json> room_json(const std::string& room) const;
  nlohmann::json calls_json() const;
  Status set_muted(const std::string& room, uint64_t call, bool muted);
  Status kick(const std::string& room, uint64_t call);
  Status set_hold(const std::string& room, uint64_t call, bool held);
  // RFC 4733 digits to one participant (e.g. an extension for a dialled-out IVR).
  Status send_dtmf(const std::string& room, uint64_t call, const std::string& digits);
  Status set_locked(const std::string& room, bool locked);
  Status end_conference(const std::string& room);
  Result<std::string> set_recording(const std::string& room, bool on);
  Result<uint64_t> invite(const std::string& room, const std::string& uri, const std::string& name);
  Status move(uint64_t call, const std::string& room);
  // Call scripts (script_recorder.h): start or stop one room's script; the script's directory.
  Result<std::string> set_script(const std::string& room, bool on);
  // The HTTP API did a moderator command (mute, unmute, kick, lock, unlock, end, record_start,
  // record_stop): the room's script writes it down.
  void note_moderator(const std::string& room, const std::string& verb, uint64_t call);
  // Shutdown: hang up every call (the agent sends the BYEs), stop every recording.
  void end_all();

 private:
  sip::Agent& agent() { return *agent_.load(); }
  int room_by_number(const std::string& number) const;
  int room_by_name(const std::string& name) const;
  Call* find(sip::CallId id);
  Result<Call*> member(const std::string& room, uint64_t call);
  Role role_for(const Room& room, const Call& call) const;

  // media_setup.cpp
  Result<std::string> open_media(Call& call, const sdp::SessionDescription& offer);
  Result<std::string> open_media_offer(Call& call);
  Status start_media(Call& call, RoomId engine_room);
  Status move_media(Call& call, RoomId engine_room);
  Status enter_private_room(Call& call);
  void apply_direction(Call& call);
  void release_media(Call& call);

  // admission.cpp
  void refuse_early(Call& call, int status, const std::string& reason);
  Status admit(Call& call, int room);
  void leave_room(Call& call, bool kicked);
  void leave_after(Call& call, const Prompt& prompt);
  std::string refusal(const Room& room) const;  // why a room takes nobody now ("" = it does)

  // keypad.cpp
  void on_digit(Call& call, char digit);
  void on_pin_digit(Call& call, char digit);
  void check_pin(Call& call);
  void on_menu_digit(Call& call, char digit);
  void on_moderator_digit(Call& call, char digit);
  void play(Call& call, const Prompt& prompt);

  // roster.cpp
  nlohmann::json participant_json(const Call& call) const;
  nlohmann::json room_view(const Room& room) const;
  void publish(const char* type, const Room& room, nlohmann::json data);
  void publish_call(const char* type, const Call& call, nlohmann::json extra = {});
  void apply_mute(Call& call);

  void handle_engine_events();
  void handle_dtmf();
  void handle_timers();

  ConferenceParts parts_;
  std::atomic<sip::Agent*> agent_{nullptr};
  std::vector<Room> rooms_;
  std::map<sip::CallId, Call> calls_;
  std::unordered_map<uint32_t, sip::CallId> by_participant_;
  std::unordered_map<uint32_t, sip::CallId> by_stream_;
  std::vector<uint8_t> mute_all_;  // per room: "*5" muted everyone but moderators
  uint64_t sdp_session_ = 1000;
  ScriptRecorder scripts_;
};

}  // namespace tutti::server
