// The timeline steps that go through tutti's HTTP API: moderator commands and waits on the
// event stream, and the event names both they and the `events` expectation use.
#include <algorithm>
#include <array>

#include "reader.h"

namespace tutti::scenario::detail {
namespace {

using config::detail::read_choice;
using config::detail::read_double;

constexpr std::array<std::string_view, 17> kEventTypes = {
    "joined",     "left",     "talking",           "muted",
    "unmuted",    "held",     "resumed",           "dtmf",
    "pin_failed", "invited",  "ringing",           "invite_failed",
    "locked",     "unlocked", "recording_started", "recording_stopped",
    "ended"};
constexpr std::array<std::string_view, 5> kRoomEvents = {"locked", "unlocked", "recording_started",
                                                         "recording_stopped", "ended"};

struct VerbName {
  ModeratorVerb verb;
  std::string_view name;
};
constexpr std::array<VerbName, 9> kVerbs = {{
    {ModeratorVerb::kMute, "mute"},
    {ModeratorVerb::kUnmute, "unmute"},
    {ModeratorVerb::kKick, "kick"},
    {ModeratorVerb::kLock, "lock"},
    {ModeratorVerb::kUnlock, "unlock"},
    {ModeratorVerb::kEnd, "end"},
    {ModeratorVerb::kRecordStart, "record_start"},
    {ModeratorVerb::kRecordStop, "record_stop"},
    {ModeratorVerb::kInvite, "invite"},
}};

bool takes_target(ModeratorVerb verb) {
  return verb == ModeratorVerb::kMute || verb == ModeratorVerb::kUnmute ||
         verb == ModeratorVerb::kKick || verb == ModeratorVerb::kInvite;
}

void read_target(const Field& f, ModeratorVerb verb, Context& ctx, std::set<std::string>& reached,
                 double at_s, Moderator& out) {
  const Participant* p = read_participant(f, ctx, out.target);
  if (p == nullptr) return;
  if (verb != ModeratorVerb::kInvite) {
    if (!reached.contains(p->name)) {
      ctx.diag.error(f.value, f.path, p->name + " is in no call yet at this step");
    }
    return;
  }
  if (!p->answer) {
    ctx.diag.error(
        f.value, f.path,
        "invite calls a participant that waits for calls: give " + p->name + " `answer: true`");
    return;
  }
  reached.insert(p->name);
  if (p->send_on_answer) note_sending(ctx, p->name, at_s);
}

}  // namespace

bool is_event_type(std::string_view type) {
  return std::find(kEventTypes.begin(), kEventTypes.end(), type) != kEventTypes.end();
}

bool is_room_event(std::string_view type) {
  return std::find(kRoomEvents.begin(), kRoomEvents.end(), type) != kRoomEvents.end();
}

std::string event_types_text() {
  std::string out;
  for (std::string_view t : kEventTypes) {
    if (!out.empty()) out += ", ";
    out += t;
  }
  return out;
}

void note_sending(Context& ctx, const std::string& who, double at_s) {
  auto [it, inserted] = ctx.sending_from_s.emplace(who, at_s);
  if (!inserted) it->second = std::min(it->second, at_s);
}

Action read_moderator_step(const MapReader& map, const YAML::Node& node, const std::string& path,
                           Context& ctx, std::set<std::string>& reached, double at_s) {
  require_api(ctx, node, path, "a moderator action");
  Moderator out;
  const Field* action = map.require("action");
  std::string word;
  if (action == nullptr || !read_choice(*action, ctx.diag,
                                        {"mute", "unmute", "kick", "lock", "unlock", "end",
                                         "record_start", "record_stop", "invite"},
                                        word)) {
    return out;
  }
  for (const VerbName& v : kVerbs) {
    if (v.name == word) out.verb = v.verb;
  }
  const config::RoomEntry* room = nullptr;
  if (const Field* f = map.require("room")) room = read_room(*f, ctx, out.room);
  const bool recording =
      out.verb == ModeratorVerb::kRecordStart || out.verb == ModeratorVerb::kRecordStop;
  if (room != nullptr && recording && room->record == RecordMode::kOff) {
    ctx.diag.error(action->value, action->path,
                   "room '" + room->name +
                       "' has record: off and the API refuses to record it (set record: "
                       "on-demand)");
  }
  const Field* target = map.find("target");
  if (takes_target(out.verb)) {
    if (const Field* f = map.require("target")) read_target(*f, out.verb, ctx, reached, at_s, out);
  } else if (target != nullptr) {
    ctx.diag.error(target->key, target->path, word + " acts on the whole room: no target");
  }
  return out;
}

Action read_wait_step(const MapReader& map, const YAML::Node& node, const std::string& path,
                      Context& ctx) {
  require_api(ctx, node, path, "a wait on events");
  Wait out;
  if (const Field* f = map.require("event")) {
    if (f->value.IsScalar() && is_event_type(f->value.Scalar())) {
      out.event = f->value.Scalar();
    } else {
      ctx.diag.error(
          f->value, f->path,
          "expected one of " + event_types_text() + ", got " + config::detail::describe(f->value));
    }
  }
  if (const Field* f = map.find("who"); f && read_participant(*f, ctx, out.who) != nullptr) {
    if (is_room_event(out.event)) {
      ctx.diag.error(f->key, f->path, out.event + " is a room event: it names no participant");
    }
  }
  if (const Field* f = map.find("room")) read_room(*f, ctx, out.room);
  if (const Field* f = map.find("timeout"))
    read_double(*f, ctx.diag, 0.1, kMaxSeconds, out.timeout_s);
  return out;
}

}  // namespace tutti::scenario::detail

namespace tutti::scenario {

std::string_view moderator_verb_name(ModeratorVerb verb) {
  for (const detail::VerbName& v : detail::kVerbs) {
    if (v.verb == verb) return v.name;
  }
  return "?";
}

}  // namespace tutti::scenario
