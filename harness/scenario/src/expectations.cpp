// `expect:`: what each participant hears, how calls end, and what the API reports. Each entry
// is one expectation, chosen by the key it has (hears, not_hears, ...), and is checked against
// what the earlier sections made possible: tones that can be told apart, a sender that sends,
// a room that records.
#include <algorithm>
#include <array>
#include <sstream>

#include "reader.h"

namespace tutti::scenario::detail {
namespace {

using config::detail::read_bool;
using config::detail::read_choice;
using config::detail::read_double;
using config::detail::read_int;

constexpr int kEngineMaxSpeakers = 3;  // EngineConfig::max_speakers: talkers mixed at once

constexpr std::array<std::string_view, 9> kKinds = {"hears",   "not_hears", "hears_music",
                                                    "silence", "hung_up",   "refused",
                                                    "roster",  "events",    "recording"};

// The node of a list's i-th item, or the value itself when a single name was written.
YAML::Node item_node(const Field& field, std::size_t i) {
  return field.value.IsSequence() ? field.value[i] : field.value;
}

class ExpectReader {
 public:
  explicit ExpectReader(Context& ctx) : ctx_(ctx) {}
  std::optional<Expect> read(const YAML::Node& node, const std::string& path);

 private:
  std::optional<Window> read_window(const MapReader& map, bool required);
  Expectation read_listening(const std::string& kind, const MapReader& map);
  void check_sources(const Field& f, const std::string& who, double from_s, bool hears);
  Expectation read_call_end(const std::string& kind, const MapReader& map);

  Context& ctx_;
};

std::optional<Expect> ExpectReader::read(const YAML::Node& node, const std::string& path) {
  if (!node.IsMap()) {
    ctx_.diag.error(node, path, "expected a mapping such as {who: NAME, hears: [...], ...}");
    return std::nullopt;
  }
  std::string kind;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string();
    if (std::find(kKinds.begin(), kKinds.end(), key) == kKinds.end()) continue;
    if (kind.empty()) {
      kind = key;
      continue;
    }
    ctx_.diag.error(it->first, path + "." + key,
                    "one expectation per entry: this one is already '" + kind + "'");
    return std::nullopt;
  }
  if (kind.empty()) {
    ctx_.diag.error(node, path,
                    "expected one of the keys hears, not_hears, hears_music, silence, hung_up, "
                    "refused, roster, events, recording");
    return std::nullopt;
  }
  Expect out;
  out.where = line_of(node);
  if (kind == "hears" || kind == "not_hears" || kind == "hears_music" || kind == "silence") {
    const MapReader map(node, path, {"who", kind, "from", "to"}, ctx_.diag);
    out.what = read_listening(kind, map);
  } else if (kind == "hung_up" || kind == "refused") {
    const MapReader map(node, path, {"who", "hung_up", "refused", "by", "from", "to"}, ctx_.diag);
    out.what = read_call_end(kind, map);
  } else {
    const MapReader map(node, path, {"roster", "events", "recording"}, ctx_.diag);
    require_api(ctx_, node, path, "a " + kind + " expectation");
    const Field* f = map.find(kind);
    if (f == nullptr) return std::nullopt;
    out.what = kind == "roster"   ? read_roster_expect(*f, ctx_)
               : kind == "events" ? read_events_expect(*f, ctx_)
                                  : read_recording_expect(*f, ctx_);
  }
  return out;
}

std::optional<Window> ExpectReader::read_window(const MapReader& map, bool required) {
  const Field* from = required ? map.require("from") : map.find("from");
  const Field* to = required ? map.require("to") : map.find("to");
  if (!required && (from == nullptr) != (to == nullptr)) {
    const Field* given = from != nullptr ? from : to;
    ctx_.diag.error(given->key, given->path, "give both from and to, or neither");
    return std::nullopt;
  }
  Window w;
  if (from == nullptr || to == nullptr || !read_seconds(*from, ctx_.diag, w.from_s) ||
      !read_seconds(*to, ctx_.diag, w.to_s)) {
    return std::nullopt;
  }
  if (w.from_s >= w.to_s) {
    ctx_.diag.error(
        to->value, to->path,
        "to (" + seconds_text(w.to_s) + ") must come after from (" + seconds_text(w.from_s) + ")");
  }
  check_time(ctx_, *to, w.to_s);
  return w;
}

Expectation ExpectReader::read_listening(const std::string& kind, const MapReader& map) {
  std::string who;
  if (const Field* f = map.require("who")) read_participant(*f, ctx_, who);
  const Window window = read_window(map, true).value_or(Window{});
  const Field* f = map.find(kind);
  if (kind == "hears" || kind == "not_hears") {
    std::vector<std::string> sources;
    if (f != nullptr && read_participant_list(*f, ctx_, sources)) {
      check_sources(*f, who, window.from_s, kind == "hears");
    }
    if (kind == "hears") return Hears{who, sources, window};
    return NotHears{who, sources, window};
  }
  bool flag = true;
  if (f != nullptr) read_bool(*f, ctx_.diag, flag);
  if (kind == "silence") return HearsSilence{who, flag, window};
  const bool any_moh = ctx_.embedded == nullptr ||
                       std::any_of(ctx_.embedded->rooms.begin(), ctx_.embedded->rooms.end(),
                                   [](const config::RoomEntry& r) { return !r.moh.empty(); });
  if (flag && f != nullptr && !any_moh) {
    ctx_.diag.error(f->value, f->path, "no room in server.rooms has moh: there is no music");
  }
  return HearsMusic{who, flag, window};
}

// Every source is a tone (only tones can be told apart); `hears` also needs a source that is
// not the listener, that sends by `from_s`, and no more of them than the engine mixes.
void ExpectReader::check_sources(const Field& f, const std::string& who, double from_s,
                                 bool hears) {
  const std::size_t count = f.value.IsSequence() ? f.value.size() : 1;
  for (std::size_t i = 0; i < count; ++i) {
    const YAML::Node node = item_node(f, i);
    const std::string path = f.value.IsSequence() ? f.path + "[" + std::to_string(i) + "]" : f.path;
    const Participant* p = nullptr;
    for (const Participant& q : ctx_.participants) {
      if (q.name == node.Scalar()) p = &q;
    }
    if (p == nullptr) continue;
    if (!std::holds_alternative<Tone>(p->audio.source)) {
      ctx_.diag.error(node, path,
                      p->name + "'s audio is not a tone: only tones can be told apart, give " +
                          p->name + " audio: {tone: HZ}");
      continue;
    }
    if (!hears) continue;
    if (p->name == who) {
      ctx_.diag.error(node, path,
                      "a participant never hears itself (mix-minus): check it with not_hears");
      continue;
    }
    const auto sending = ctx_.sending_from_s.find(p->name);
    if (sending == ctx_.sending_from_s.end() || sending->second > from_s) {
      ctx_.diag.error(node, path,
                      p->name + " sends nothing by " + seconds_text(from_s) +
                          ": add {do: send, who: " + p->name +
                          "} before it (or send_on_answer: true)");
    }
  }
  if (hears && ctx_.embedded != nullptr && count > static_cast<std::size_t>(kEngineMaxSpeakers)) {
    ctx_.diag.error(f.value, f.path,
                    "the engine mixes at most 3 talkers at once: name 3 or fewer here");
  }
}

Expectation ExpectReader::read_call_end(const std::string& kind, const MapReader& map) {
  std::string who;
  if (const Field* f = map.require("who")) read_participant(*f, ctx_, who);
  if (kind == "refused") {
    Refused out{who, 0};
    read_int(*map.find("refused"), ctx_.diag, 300, 699, out.status);
    for (const char* key : {"hung_up", "by", "from", "to"}) {
      if (const Field* f = map.find(key)) {
        ctx_.diag.error(f->key, f->path, "a refused call was never answered: no " + f->name);
      }
    }
    return out;
  }
  HungUp out;
  out.who = who;
  read_bool(*map.find("hung_up"), ctx_.diag, out.hung_up);
  std::string by;
  if (const Field* f = map.find("by")) {
    if (!out.hung_up) {
      ctx_.diag.error(f->key, f->path, "by goes with hung_up: true");
    } else if (read_choice(*f, ctx_.diag, {"server", "self", "any"}, by)) {
      out.by = by == "self" ? Party::kSelf : by == "any" ? Party::kAny : Party::kServer;
    }
  }
  out.window = read_window(map, false);
  return out;
}

}  // namespace

void read_expectations(const Field& field, Context& ctx, std::vector<Expect>& out) {
  if (!field.value.IsSequence()) {
    ctx.diag.error(field.value, field.path,
                   "expected a list of expectations (entries start with '- ')");
    return;
  }
  ExpectReader reader(ctx);
  for (std::size_t i = 0; i < field.value.size(); ++i) {
    std::string path = field.path;
    path.append("[").append(std::to_string(i)).append("]");
    if (std::optional<Expect> expect = reader.read(field.value[i], path)) {
      out.push_back(std::move(*expect));
    }
  }
}

}  // namespace tutti::scenario::detail
