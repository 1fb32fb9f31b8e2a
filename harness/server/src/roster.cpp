// What the API and the event stream show: rooms, rosters and calls as JSON.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <array>

#include "conference.h"

namespace tutti::server {
namespace {

std::string iso8601(WallTime time) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch());
  const std::time_t seconds = static_cast<std::time_t>(ms.count() / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", utc, ms.count() % 1000);
}

}  // namespace

nlohmann::json Conference::participant_json(const Call& call) const {
  nlohmann::json j;
  j["id"] = call.id.value;
  j["name"] = call.name;
  j["uri"] = call.uri;
  j["role"] = role_name(call.role);
  j["state"] = call.state == CallState::kInviting ? "invited" : "active";
  j["muted"] = call.muted;
  j["listen_only"] = call.listen_only;
  j["on_hold"] = call.on_hold || call.held_by_api;
  j["talking"] = call.talking;
  if (call.state == CallState::kInRoom) {
    j["joined_at"] = iso8601(call.joined_at);
    j["seconds"] = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::steady_clock::now() - call.joined_steady)
                       .count();
  } else {
    j["joined_at"] = nullptr;
    j["seconds"] = 0;
  }
  if (!call.media.codec.name.empty()) j["codec"] = call.media.codec.name;
  return j;
}

nlohmann::json Conference::room_view(const Room& room) const {
  nlohmann::json j;
  j["name"] = room.entry.name;
  j["number"] = room.entry.number;
  j["pin"] = room.entry.pin.has_value();
  j["max_participants"] = room.entry.max_participants;
  j["locked"] = room.locked;
  j["recording"] = room.recording;
  if (room.recording) j["recording_path"] = room.recording_path;
  j["owner"] = room.entry.owner;
  nlohmann::json roster = nlohmann::json::array();
  for (const auto* list : {&room.members, &room.invited}) {
    for (sip::CallId id : *list) {
      auto it = calls_.find(id);
      if (it != calls_.end()) roster.push_back(participant_json(it->second));
    }
  }
  j["active"] = room.members.size();
  j["invited"] = room.invited.size();
  j["participants"] = std::move(roster);
  return j;
}

Result<nlohmann::json> Conference::rooms_json() const {
  nlohmann::json rooms = nlohmann::json::array();
  for (const Room& room : rooms_) {
    nlohmann::json j = room_view(room);
    j.erase("participants");
    rooms.push_back(std::move(j));
  }
  return rooms;
}

Result<nlohmann::json> Conference::room_json(const std::string& name) const {
  const int index = room_by_name(name);
  if (index < 0) return Status{StatusCode::kNotFound, "no room named '" + name + "'"};
  return room_view(rooms_[static_cast<std::size_t>(index)]);
}

nlohmann::json Conference::calls_json() const {
  nlohmann::json calls = nlohmann::json::array();
  for (const auto& [id, call] : calls_) {
    nlohmann::json j = participant_json(call);
    j["state"] = call_state_name(call.state);
    j["room"] = call.room >= 0 ? rooms_[static_cast<std::size_t>(call.room)].entry.name : "";
    calls.push_back(std::move(j));
  }
  return calls;
}

void Conference::publish(const char* type, const Room& room, nlohmann::json data) {
  data["room"] = room.entry.name;
  parts_.bus->publish(type, room.entry.name, data.dump());
}

void Conference::publish_call(const char* type, const Call& call, nlohmann::json extra) {
  if (call.room < 0) return;
  nlohmann::json data = extra.is_object() ? std::move(extra) : nlohmann::json::object();
  data["participant"] = call.id.value;
  data["name"] = call.name;
  publish(type, rooms_[static_cast<std::size_t>(call.room)], std::move(data));
}

void Conference::apply_mute(Call& call) {
  if (!call.participant) return;
  (void)parts_.engine->set_muted(*call.participant, call.muted || call.listen_only);
  publish_call(call.muted || call.listen_only ? "muted" : "unmuted", call,
               {{"listen_only", call.listen_only}, {"by_moderator", call.muted_by_moderator}});
}

void Conference::handle_engine_events() {
  std::array<Event, 256> events;
  std::size_t n = 0;
  while ((n = parts_.engine->poll_events(events)) > 0) {
    for (std::size_t i = 0; i < n; ++i) {
      const Event& event = events[i];
      if (event.type != EventType::kTalkingStarted && event.type != EventType::kTalkingStopped) {
        continue;
      }
      auto it = by_participant_.find(event.participant.value);
      if (it == by_participant_.end()) continue;
      Call* call = find(it->second);
      if (call == nullptr || call->state != CallState::kInRoom) continue;
      call->talking = event.type == EventType::kTalkingStarted;
      publish_call("talking", *call, {{"talking", call->talking}, {"level_dbfs", event.value}});
    }
    if (n < events.size()) break;
  }
}

}  // namespace tutti::server
