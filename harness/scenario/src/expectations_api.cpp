// The expectations the runner checks through tutti's HTTP API: the roster at a time, events in
// order, and a room's recording.
#include <algorithm>

#include "reader.h"

namespace tutti::scenario::detail {
namespace {

using config::detail::read_double;

std::string item_path(const Field& list, std::size_t index) {
  std::string path = list.path;
  path.append("[").append(std::to_string(index)).append("]");
  return path;
}

// A list of participant names that may be empty (`active: []`: nobody).
void read_names(const Field& f, Context& ctx, std::vector<std::string>& out) {
  if (f.value.IsSequence() && f.value.size() == 0) return;
  read_participant_list(f, ctx, out);
}

// One of the state lists of a roster: each name must also be in `active`.
void read_subset(const MapReader& map, const char* key, const std::vector<std::string>& active,
                 Context& ctx, std::optional<std::vector<std::string>>& out) {
  const Field* f = map.find(key);
  if (f == nullptr) return;
  out.emplace();
  read_names(*f, ctx, *out);
  for (std::size_t i = 0; i < out->size(); ++i) {
    const std::string& name = (*out)[i];
    if (std::find(active.begin(), active.end(), name) != active.end()) continue;
    const YAML::Node node = f->value.IsSequence() ? f->value[i] : f->value;
    ctx.diag.error(node, f->value.IsSequence() ? item_path(*f, i) : f->path,
                   name + " is listed as " + key + " but not in active");
  }
}

// "joined alice" or "locked": an event type, then a participant for participant events.
std::optional<EventPattern> read_pattern(const YAML::Node& node, const std::string& path,
                                         Context& ctx) {
  if (!node.IsScalar()) {
    ctx.diag.error(node, path,
                   "expected \"EVENT\" or \"EVENT NAME\", got " + config::detail::describe(node));
    return std::nullopt;
  }
  const std::string& text = node.Scalar();
  const std::size_t space = text.find(' ');
  EventPattern out;
  out.type = text.substr(0, space);
  if (space != std::string::npos) out.who = text.substr(space + 1);
  if (!is_event_type(out.type)) {
    ctx.diag.error(node, path,
                   "unknown event '" + out.type + "' (events: " + event_types_text() + ")");
    return std::nullopt;
  }
  if (out.who.empty()) return out;
  if (is_room_event(out.type)) {
    ctx.diag.error(node, path, out.type + " is a room event: it names no participant");
    return std::nullopt;
  }
  const bool known = std::any_of(ctx.participants.begin(), ctx.participants.end(),
                                 [&](const Participant& p) { return p.name == out.who; });
  if (!known) {
    ctx.diag.error(node, path,
                   "unknown participant '" + out.who +
                       "' (participants: " + list_names(ctx.participants) + ")");
    return std::nullopt;
  }
  return out;
}

}  // namespace

Expectation read_roster_expect(const Field& field, Context& ctx) {
  Roster out;
  const MapReader map(field.value, field.path,
                      {"at", "room", "active", "muted", "listen_only", "on_hold"}, ctx.diag);
  if (!field.value.IsMap()) return out;
  if (const Field* f = map.require("at"); f && read_seconds(*f, ctx.diag, out.at_s)) {
    check_time(ctx, *f, out.at_s);
  }
  if (const Field* f = map.require("room")) read_room(*f, ctx, out.room);
  if (const Field* f = map.require("active")) read_names(*f, ctx, out.active);
  read_subset(map, "muted", out.active, ctx, out.muted);
  read_subset(map, "listen_only", out.active, ctx, out.listen_only);
  read_subset(map, "on_hold", out.active, ctx, out.on_hold);
  return out;
}

Expectation read_events_expect(const Field& field, Context& ctx) {
  Events out;
  const MapReader map(field.value, field.path, {"room", "in_order"}, ctx.diag);
  if (!field.value.IsMap()) return out;
  if (const Field* f = map.require("room")) read_room(*f, ctx, out.room);
  const Field* f = map.require("in_order");
  if (f == nullptr) return out;
  if (!f->value.IsSequence() || f->value.size() == 0) {
    ctx.diag.error(f->value, f->path,
                   "expected a list of events such as [\"joined alice\", \"left alice\"]");
    return out;
  }
  for (std::size_t i = 0; i < f->value.size(); ++i) {
    if (auto pattern = read_pattern(f->value[i], item_path(*f, i), ctx)) {
      out.in_order.push_back(std::move(*pattern));
    }
  }
  return out;
}

Expectation read_recording_expect(const Field& field, Context& ctx) {
  Recording out;
  const MapReader map(field.value, field.path, {"room", "min_seconds", "tones"}, ctx.diag);
  if (!field.value.IsMap()) return out;
  if (const Field* f = map.require("room")) {
    const config::RoomEntry* room = read_room(*f, ctx, out.room);
    if (room != nullptr && room->record == RecordMode::kOff) {
      ctx.diag.error(f->value, f->path,
                     "room '" + room->name + "' has record: off, so it makes no recording");
    }
  }
  if (const Field* f = map.require("min_seconds")) {
    read_double(*f, ctx.diag, 0.1, kMaxSeconds, out.min_seconds);
  }
  const Field* tones = map.find("tones");
  if (tones == nullptr) return out;
  if (!tones->value.IsSequence()) {
    ctx.diag.error(tones->value, tones->path, "expected a list of frequencies in Hz");
    return out;
  }
  for (std::size_t i = 0; i < tones->value.size(); ++i) {
    const Field item{tones->name, tones->key, tones->value[i], item_path(*tones, i)};
    double hz = 0;
    if (read_double(item, ctx.diag, 1.0, 24000.0, hz) &&
        check_tone_band(ctx, hz, item.value.Mark(), item.path)) {
      out.tones_hz.push_back(hz);
    }
  }
  return out;
}

}  // namespace tutti::scenario::detail
