#include "script_recorder.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

namespace tutti::server {
namespace {

namespace fs = std::filesystem;

constexpr auto kRewriteEvery = std::chrono::seconds(5);
// A replayed call enters its PIN this long after the answer, and its own steps follow it.
constexpr double kPinDelayS = 1.0;
constexpr double kStepGapS = 0.05;
// A moderator command on a participant waits until a replayed join has surely happened.
constexpr double kTargetSettleS = 0.5;

// A participant name of the scenario format: up to 64 of a-z 0-9 _ -.
std::string sanitise(const std::string& display) {
  std::string out;
  for (unsigned char c : display) {
    if (out.size() >= 56) break;  // room for a "-N" suffix
    const char lower = static_cast<char>(std::tolower(c));
    const bool ok = std::isalnum(c) || c == '_' || c == '-';
    if (ok)
      out.push_back(lower);
    else if (!out.empty() && out.back() != '-')
      out.push_back('-');
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? std::string("caller") : out;
}

std::string scenario_codec(const std::string& sdp_name) {
  std::string upper = sdp_name;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (upper == "OPUS") return "opus";
  if (upper == "PCMA" || upper == "G722") return upper;
  return "PCMU";
}

// The digits a replayed caller enters at the PIN prompt ("" when the room asks none). The
// exact PIN needs no '#' unless the other PIN starts with it (keypad.cpp).
std::string pin_digits(const config::RoomEntry& room, const Call& call) {
  if (!room.pin && !room.moderator_pin) return {};
  const bool moderator = call.role == Role::kModerator && room.moderator_pin;
  const std::optional<std::string>& pin = moderator ? room.moderator_pin : room.pin;
  const std::optional<std::string>& other = moderator ? room.pin : room.moderator_pin;
  if (!pin) return "#";
  const bool needs_hash = other && other->size() > pin->size() && other->starts_with(*pin);
  return *pin + (needs_hash ? "#" : "");
}

}  // namespace

ScriptRecorder::ScriptRecorder(Engine* engine, std::string dir)
    : engine_(engine), dir_(std::move(dir)) {}

void ScriptRecorder::allow_participant_recording(RoomConfig& room) const {
  if (!enabled() || room.record != RecordMode::kOff) return;
  room.record = RecordMode::kOnDemand;  // the API still refuses room recordings (entry says off)
  room.record_dir = dir_;
  room.record_format = "wav";
}

double ScriptRecorder::now_s(const Script& script) const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - script.started).count();
}

ScriptRecorder::Script* ScriptRecorder::script_of(int room) {
  auto it = scripts_.find(room);
  return it == scripts_.end() ? nullptr : &it->second;
}

ScriptRecorder::Member* ScriptRecorder::member_of(Script& script, uint64_t call) {
  for (Member& m : script.members) {
    if (m.call == call) return &m;
  }
  return nullptr;
}

std::pair<int, ScriptRecorder::Member*> ScriptRecorder::find_member(uint64_t call) {
  for (auto& [room, script] : scripts_) {
    if (Member* m = member_of(script, call); m != nullptr && m->active) return {room, m};
  }
  return {-1, nullptr};
}

void ScriptRecorder::open(int room, const Room& state) {
  const auto unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  Script script;
  script.dir = (fs::path(dir_) / fmt::format("{}-{}", state.entry.name, unix_ms)).string();
  script.room = state.entry;
  script.started = std::chrono::steady_clock::now();
  script.written = script.started - kRewriteEvery;  // the first pump writes it
  std::error_code ec;
  fs::create_directories(script.dir, ec);
  if (ec) spdlog::warn("script {}: {}", script.dir, ec.message());
  spdlog::info("room '{}': recording a call script in {}", state.entry.name, script.dir);
  scripts_[room] = std::move(script);
}

void ScriptRecorder::add_member(Script& script, const Call& call, double at_s) {
  Member member;
  member.call = call.id.value;
  const std::string base = sanitise(call.name);
  member.name = base;
  for (int n = 2; std::any_of(script.members.begin(), script.members.end(),
                              [&](const Member& m) { return m.name == member.name; });
       ++n) {
    member.name = fmt::format("{}-{}", base, n);
  }
  member.codec = scenario_codec(call.media.codec.name);
  member.active = true;
  const std::string who = yaml_quote(member.name);
  script.steps.push_back(
      {at_s, fmt::format("do: call, who: {}, number: {}", who, yaml_quote(script.room.number))});
  const std::string pin = pin_digits(script.room, call);
  const double pin_at = at_s + (pin.empty() ? 0.0 : kPinDelayS);
  if (!pin.empty()) {
    script.steps.push_back(
        {pin_at, fmt::format("do: dtmf, who: {}, digits: {}", who, yaml_quote(pin))});
  }
  member.not_before_s = pin_at + kStepGapS;
  script.events.emplace_back(at_s, "joined " + member.name);
  script.members.push_back(std::move(member));
  record_segment(script, script.members.back(), call);
}

void ScriptRecorder::record_segment(Script& script, Member& member, const Call& call) {
  if (!call.participant) return;
  Result<std::string> path = engine_->start_participant_recording(*call.participant);
  if (!path) {
    spdlog::warn("script: cannot record {}: {}", member.name, path.status().message());
    return;
  }
  ++member.segments;
  const fs::path from = path.value();
  const std::string file =
      member.name + (member.segments == 1 ? std::string() : fmt::format("-{}", member.segments)) +
      from.extension().string();
  // The engine keeps writing through its open file, wherever the name now points.
  std::error_code ec;
  fs::rename(from, fs::path(script.dir) / file, ec);
  const std::string where = ec ? fs::absolute(from).string() : file;
  if (member.segments == 1) member.wav = where;
}

Result<std::string> ScriptRecorder::start(int room, const Room& state,
                                          const std::vector<const Call*>& members) {
  if (!enabled()) {
    return Status{StatusCode::kFailedPrecondition,
                  "call scripts are off: start tutti serve with --record-scripts DIR"};
  }
  paused_.erase(room);
  if (Script* running = script_of(room)) return running->dir;
  open(room, state);
  Script& script = scripts_[room];
  for (const Call* call : members) add_member(script, *call, 0.0);
  return script.dir;
}

Result<std::string> ScriptRecorder::stop(int room) {
  Script* script = script_of(room);
  if (script == nullptr) return Status{StatusCode::kFailedPrecondition, "no script is recording"};
  const std::string dir = script->dir;
  finish(room);
  paused_[room] = true;
  return dir;
}

void ScriptRecorder::joined(int room, const Room& state, const Call& call, bool dialled_out) {
  if (!enabled() || dialled_out) return;
  // A move from another room's script: there it reads as a hangup (left() wrote it).
  Script* script = script_of(room);
  if (script == nullptr) {
    if (paused_.count(room) != 0) return;
    open(room, state);
    script = script_of(room);
  }
  Member* member = member_of(*script, call.id.value);
  if (member == nullptr) {
    add_member(*script, call, now_s(*script));
    return;
  }
  member->active = true;  // back in this room: its audio goes on in a new file
  script->events.emplace_back(now_s(*script), "joined " + member->name);
  record_segment(*script, *member, call);
}

void ScriptRecorder::left(int room, const Room& state, const Call& call, bool kicked) {
  if (state.members.empty()) paused_.erase(room);
  Script* script = script_of(room);
  if (script == nullptr) return;
  Member* member = member_of(*script, call.id.value);
  if (member == nullptr || !member->active) return;
  const double at = now_s(*script);
  member->active = false;
  if (call.participant) (void)engine_->stop_participant_recording(*call.participant);
  script->events.emplace_back(at, "left " + member->name);
  // Kicks and ends replay through their moderator step or keypad digits.
  if (!kicked && !script->ending) {
    script->steps.push_back({std::max(at, member->not_before_s + kStepGapS),
                             fmt::format("do: hangup, who: {}", yaml_quote(member->name))});
  }
  if (state.members.empty()) script->empty = true;
}

void ScriptRecorder::digit(const Call& call, char digit) {
  if (call.state != CallState::kInRoom) return;  // PIN digits are written with the call
  Script* script = script_of(call.room);
  Member* member = script ? member_of(*script, call.id.value) : nullptr;
  if (member == nullptr) return;
  std::string action;
  if (!call.menu_star && digit == '1') action = call.muted ? "unmute" : "mute";
  if (!call.menu_star && digit == '2')
    action = call.listen_only ? "listen_only_off" : "listen_only";
  const std::string who = yaml_quote(member->name);
  std::string text = action.empty()
                         ? fmt::format("do: dtmf, who: {}, digits: {}", who, yaml_quote({digit}))
                         : fmt::format("do: {}, who: {}", action, who);
  script->steps.push_back({std::max(now_s(*script), member->not_before_s), std::move(text)});
}

void ScriptRecorder::held(const Call& call) {
  if (call.state != CallState::kInRoom) return;
  Script* script = script_of(call.room);
  Member* member = script ? member_of(*script, call.id.value) : nullptr;
  if (member == nullptr) return;
  // Our direction is the mirror of the phone's offer: we recvonly = it holds with sendonly.
  const char* mode = nullptr;
  switch (call.media.local) {
    case sdp::Direction::kRecvOnly:
      mode = "sendonly";
      break;
    case sdp::Direction::kSendOnly:
      mode = "recvonly";
      break;
    case sdp::Direction::kInactive:
      mode = "inactive";
      break;
    case sdp::Direction::kSendRecv:
      break;
  }
  const std::string who = yaml_quote(member->name);
  std::string text = mode ? fmt::format("do: hold, who: {}, mode: {}", who, mode)
                          : fmt::format("do: resume, who: {}", who);
  script->steps.push_back({std::max(now_s(*script), member->not_before_s), std::move(text)});
}

void ScriptRecorder::ending(int room) {
  if (Script* script = script_of(room)) script->ending = true;
}

void ScriptRecorder::moderator(int room, const std::string& verb, uint64_t call) {
  Script* script = script_of(room);
  if (script == nullptr) return;
  double at = now_s(*script);
  std::string text =
      fmt::format("do: moderator, action: {}, room: {}", verb, yaml_quote(script->room.name));
  if (verb == "mute" || verb == "unmute" || verb == "kick") {
    const Member* target = member_of(*script, call);
    if (target == nullptr) return;  // a dial-out: not in the script
    at = std::max(at, target->not_before_s + kTargetSettleS);
    text += fmt::format(", target: {}", yaml_quote(target->name));
  }
  script->steps.push_back({at, std::move(text)});
}

void ScriptRecorder::pump() {
  const auto now = std::chrono::steady_clock::now();
  std::vector<int> done;
  for (auto& [room, script] : scripts_) {
    if (script.empty) {
      done.push_back(room);
    } else if (now - script.written >= kRewriteEvery) {
      script.written = now;
      if (Status s = write(script); !s) spdlog::warn("script {}: {}", script.dir, s.message());
    }
  }
  for (int room : done) finish(room);
}

void ScriptRecorder::finish_all() {
  std::vector<int> rooms;
  for (const auto& [room, script] : scripts_) rooms.push_back(room);
  for (int room : rooms) finish(room);
}

void ScriptRecorder::finish(int room) {
  Script* script = script_of(room);
  if (script == nullptr) return;
  if (Status s = write(*script); !s) spdlog::warn("script {}: {}", script->dir, s.message());
  spdlog::info("room '{}': call script written: {}/scenario.yaml", script->room.name, script->dir);
  scripts_.erase(room);
}

Status ScriptRecorder::write(const Script& script) const {
  if (script.members.empty()) return Status::ok();  // a scenario needs a participant
  const fs::path file = fs::path(script.dir) / "scenario.yaml";
  const fs::path temp = fs::path(script.dir) / "scenario.yaml.tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << yaml(script);
    out.flush();
    if (!out) return Status{StatusCode::kInternal, "cannot write " + temp.string()};
  }
  std::error_code ec;
  fs::rename(temp, file, ec);
  if (ec) return Status{StatusCode::kInternal, "cannot rename to " + file.string()};
  return Status::ok();
}

}  // namespace tutti::server
