#include "reader.h"

#include <algorithm>
#include <sstream>

namespace tutti::scenario::detail {
namespace {

std::string number_text(double value) { return seconds_text(value); }

std::string list_rooms(const config::ServeConfig& server) {
  std::string out;
  for (const config::RoomEntry& room : server.rooms) {
    if (!out.empty()) out += ", ";
    out += room.name;
  }
  return out.empty() ? std::string("none") : out;
}

}  // namespace

std::string seconds_text(double seconds) {
  std::ostringstream out;
  out << seconds;
  return out.str();
}

void check_time(Context& ctx, const Field& field, double seconds) {
  ctx.last_time_s = std::max(ctx.last_time_s, seconds);
  if (ctx.duration_s && seconds > *ctx.duration_s) {
    ctx.diag.error(field.value, field.path,
                   seconds_text(seconds) + " is after the end of the run (duration " +
                       seconds_text(*ctx.duration_s) + ")");
  }
}

SourceLine line_of(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {};
  return {mark.line + 1, mark.column + 1};
}

std::string list_names(const std::vector<Participant>& participants) {
  std::string out;
  for (const Participant& p : participants) {
    if (!out.empty()) out += ", ";
    out += p.name;
  }
  return out.empty() ? std::string("none") : out;
}

bool read_seconds(const Field& field, Diagnostics& diag, double& out) {
  return config::detail::read_double(field, diag, 0.0, kMaxSeconds, out);
}

const Participant* read_participant(const Field& field, Context& ctx, std::string& out) {
  if (!config::detail::read_string(field, ctx.diag, out)) return nullptr;
  for (const Participant& p : ctx.participants) {
    if (p.name == out) return &p;
  }
  ctx.diag.error(
      field.value, field.path,
      "unknown participant '" + out + "' (participants: " + list_names(ctx.participants) + ")");
  return nullptr;
}

bool read_participant_list(const Field& field, Context& ctx, std::vector<std::string>& out) {
  if (field.value.IsScalar()) {
    std::string name;
    if (read_participant(field, ctx, name) == nullptr) return false;
    out.push_back(name);
    return true;
  }
  if (!field.value.IsSequence() || field.value.size() == 0) {
    ctx.diag.error(
        field.value, field.path,
        "expected a list of participant names, got " + config::detail::describe(field.value));
    return false;
  }
  bool ok = true;
  for (std::size_t i = 0; i < field.value.size(); ++i) {
    std::string path = field.path;
    path.append("[").append(std::to_string(i)).append("]");
    const Field item{field.name, field.key, field.value[i], path};
    std::string name;
    if (read_participant(item, ctx, name) == nullptr) {
      ok = false;
    } else if (std::find(out.begin(), out.end(), name) != out.end()) {
      ctx.diag.error(item.value, item.path, "'" + name + "' is listed twice");
      ok = false;
    } else {
      out.push_back(name);
    }
  }
  return ok;
}

const config::RoomEntry* read_room(const Field& field, Context& ctx, std::string& out) {
  if (!config::detail::read_string(field, ctx.diag, out)) return nullptr;
  if (ctx.embedded == nullptr) return nullptr;  // a target's rooms are not known here
  for (const config::RoomEntry& room : ctx.embedded->rooms) {
    if (room.name == out) return &room;
  }
  ctx.diag.error(
      field.value, field.path,
      "no room '" + out + "' in server.rooms (rooms: " + list_rooms(*ctx.embedded) + ")");
  return nullptr;
}

void require_api(const Context& ctx, const YAML::Node& node, const std::string& path,
                 std::string_view what) {
  if (ctx.has_api) return;
  std::string message(what);
  message += " needs tutti's HTTP API: set `api` (and `api_token`) next to `target`";
  ctx.diag.error(node, path, message);
}

bool check_tone_band(const Context& ctx, double frequency_hz, const YAML::Mark& mark,
                     const std::string& path) {
  if (frequency_hz >= kLowestToneHz && frequency_hz <= ctx.top_tone_hz) return true;
  std::string message = "tone " + number_text(frequency_hz) + " Hz is outside " +
                        number_text(kLowestToneHz) + ".." + number_text(ctx.top_tone_hz) + " Hz";
  if (ctx.top_tone_hz == kNarrowbandTopHz) {
    message += " (narrowband: a participant or the engine runs at 8000 Hz)";
  }
  ctx.diag.error(mark, path, message);
  return false;
}

}  // namespace tutti::scenario::detail
