// A recorded call script as scenario YAML (docs/scenario-format.md), written as plain text:
// every name, number and path double-quoted, times in seconds with millisecond decimals.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "script_recorder.h"

namespace tutti::server {
namespace {

// The roster is checked this long after the last step: a replayed PIN join lands ~1.3 s after
// its `call`, and a hangup's `left` within a tick or two.
constexpr double kRosterAfterS = 2.5;
// Events closer together than this may come in either order on replay: only the first of them
// is expected.
constexpr double kEventGapS = 0.25;

const char* record_word(RecordMode mode) {
  switch (mode) {
    case RecordMode::kOff:
      return "off";
    case RecordMode::kOnDemand:
      return "on-demand";
    case RecordMode::kAuto:
      return "auto";
  }
  return "off";
}

std::string seconds(double s) { return fmt::format("{:.3f}", std::max(0.0, s)); }

void write_room(std::ostringstream& y, const config::RoomEntry& room) {
  y << "server:\n  rooms:\n"
    << "    - name: " << yaml_quote(room.name) << "\n"
    << "      number: " << yaml_quote(room.number) << "\n";
  if (room.pin) y << "      pin: " << yaml_quote(*room.pin) << "\n";
  if (room.moderator_pin) y << "      moderator_pin: " << yaml_quote(*room.moderator_pin) << "\n";
  y << "      max_participants: " << room.max_participants << "\n";
  std::error_code ec;
  if (!room.moh.empty() && std::filesystem::is_regular_file(room.moh, ec)) {
    y << "      moh: " << yaml_quote(std::filesystem::absolute(room.moh).string()) << "\n";
  }
  y << "      record: " << record_word(room.record) << "\n"
    << "      entry_tones: " << (room.entry_tones ? "true" : "false") << "\n"
    << "      denoise: " << (room.denoise ? "true" : "false") << "\n"
    << "      agc: " << (room.agc ? "true" : "false") << "\n";
}

}  // namespace

std::string yaml_quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20) continue;
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string ScriptRecorder::yaml(const Script& script) const {
  std::ostringstream y;
  y << "# Recorded by tutti serve --record-scripts from room '" << script.room.name
    << "'; replay with: tutti run scenario.yaml\n"
    << "# Expectations are the roster at the end and the order of joins and leaves only: recorded\n"
    << "# speech is not a tone, so nothing here checks who heard whom.\n"
    << "name: " << yaml_quote(std::filesystem::path(script.dir).filename().string()) << "\n";
  write_room(y, script.room);

  y << "participants:\n";
  for (const Member& m : script.members) {
    y << "  - {name: " << yaml_quote(m.name) << ", codec: " << m.codec << ", audio: "
      << (m.wav.empty() ? std::string("silence") : "{wav: " + yaml_quote(m.wav) + "}")
      << ", send_on_answer: true}\n";
  }

  std::vector<Step> steps = script.steps;
  std::stable_sort(steps.begin(), steps.end(),
                   [](const Step& a, const Step& b) { return a.at_s < b.at_s; });
  double last_s = 0;
  y << "timeline:\n";
  for (const Step& step : steps) {
    y << "  - {at: " << seconds(step.at_s) << ", " << step.text << "}\n";
    last_s = std::max(last_s, step.at_s);
  }

  std::vector<std::pair<double, std::string>> events = script.events;
  std::stable_sort(events.begin(), events.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> in_order;
  double kept_s = -kEventGapS;
  for (const auto& [at_s, text] : events) {
    last_s = std::max(last_s, at_s);
    if (at_s - kept_s < kEventGapS) continue;
    kept_s = at_s;
    in_order.push_back(yaml_quote(text));
  }

  std::vector<std::string> active;
  for (const Member& m : script.members) {
    if (m.active) active.push_back(yaml_quote(m.name));
  }
  const std::string room = yaml_quote(script.room.name);
  y << "expect:\n"
    << "  - {roster: {at: " << seconds(last_s + kRosterAfterS) << ", room: " << room
    << ", active: [" << fmt::format("{}", fmt::join(active, ", ")) << "]}}\n";
  if (!in_order.empty()) {
    y << "  - {events: {room: " << room << ", in_order: ["
      << fmt::format("{}", fmt::join(in_order, ", ")) << "]}}\n";
  }
  return y.str();
}

}  // namespace tutti::server
