// `timeline:`: one mapping per step, its keys chosen by `do`. Steps are checked in file order,
// which must be time order, so a step can tell whether its participant is in a call yet.
#include <algorithm>
#include <array>
#include <sstream>

#include "reader.h"

namespace tutti::scenario::detail {
namespace {

using config::detail::read_choice;
using config::detail::read_double;
using config::detail::read_string;

constexpr std::array<std::string_view, 14> kActions = {
    "call", "dtmf",   "send",     "stop",   "mute",      "unmute", "listen_only", "listen_only_off",
    "hold", "resume", "transfer", "hangup", "moderator", "wait"};

template <std::size_t N>
std::string join_words(const std::array<std::string_view, N>& words) {
  std::string out;
  for (std::string_view w : words) {
    if (!out.empty()) out += ", ";
    out += w;
  }
  return out;
}

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// What the steps so far have done.
struct TimelineState {
  double last_at_s = 0;
  int last_line = 0;
  std::set<std::string> reached;  // participants that called or were invited
};

class StepReader {
 public:
  StepReader(Context& ctx, TimelineState& state) : ctx_(ctx), state_(state) {}

  std::optional<Step> read(const YAML::Node& node, const std::string& path);

 private:
  void read_at(const MapReader& map, Step& step);
  // `who` of an action on a call: a participant that is in a call by now.
  std::string read_caller(const MapReader& map, const std::string& verb);
  Action read_who_action(std::string_view verb, const std::string& who);
  Action read_call(const MapReader& map, const std::string& verb);
  Action read_dtmf(const MapReader& map);

  Context& ctx_;
  TimelineState& state_;
  double at_s_ = 0;
};

std::optional<Step> StepReader::read(const YAML::Node& node, const std::string& path) {
  if (!node.IsMap()) {
    ctx_.diag.error(node, path, "expected a mapping such as {at: 0, do: call, who: NAME, ...}");
    return std::nullopt;
  }
  const YAML::Node verb_node = node["do"];
  if (!verb_node) {
    ctx_.diag.error(node, path, "missing required key 'do' (" + join_words(kActions) + ")");
    return std::nullopt;
  }
  const std::string verb = verb_node.IsScalar() ? verb_node.Scalar() : std::string();
  if (!contains(kActions, verb)) {
    ctx_.diag.error(
        verb_node, path + ".do",
        "expected one of " + join_words(kActions) + ", got " + config::detail::describe(verb_node));
    return std::nullopt;
  }
  Step step;
  step.where = line_of(node);
  if (verb == "call" || verb == "transfer") {
    const MapReader map(node, path, {"at", "do", "who", "number"}, ctx_.diag);
    read_at(map, step);
    step.action = read_call(map, verb);
  } else if (verb == "dtmf") {
    const MapReader map(node, path, {"at", "do", "who", "digits", "method"}, ctx_.diag);
    read_at(map, step);
    step.action = read_dtmf(map);
  } else if (verb == "moderator") {
    const MapReader map(node, path, {"at", "do", "action", "room", "target"}, ctx_.diag);
    read_at(map, step);
    step.action = read_moderator_step(map, node, path, ctx_, state_.reached, at_s_);
  } else if (verb == "wait") {
    const MapReader map(node, path, {"at", "do", "event", "who", "room", "timeout"}, ctx_.diag);
    read_at(map, step);
    step.action = read_wait_step(map, node, path, ctx_);
  } else if (verb == "hold") {
    const MapReader map(node, path, {"at", "do", "who", "mode"}, ctx_.diag);
    read_at(map, step);
    Hold hold{read_caller(map, verb), HoldMode::kSendonly};
    std::string mode;
    if (const Field* f = map.find("mode");
        f && read_choice(*f, ctx_.diag, {"sendonly", "recvonly", "inactive"}, mode)) {
      hold.mode = mode == "recvonly"   ? HoldMode::kRecvonly
                  : mode == "inactive" ? HoldMode::kInactive
                                       : HoldMode::kSendonly;
    }
    step.action = hold;
  } else {
    const MapReader map(node, path, {"at", "do", "who"}, ctx_.diag);
    read_at(map, step);
    step.action = read_who_action(verb, read_caller(map, verb));
  }
  return step;
}

void StepReader::read_at(const MapReader& map, Step& step) {
  const Field* f = map.require("at");
  if (f == nullptr || !read_seconds(*f, ctx_.diag, step.at_s)) return;
  at_s_ = step.at_s;
  if (step.at_s < state_.last_at_s) {
    std::ostringstream message;
    message << "at " << step.at_s << " comes before the previous step's " << state_.last_at_s
            << " (line " << state_.last_line << "): the timeline is sorted by time";
    ctx_.diag.error(f->value, f->path, message.str());
  } else {
    state_.last_at_s = step.at_s;
    state_.last_line = step.where.line;
  }
  if (ctx_.duration_s && step.at_s > *ctx_.duration_s) {
    std::ostringstream message;
    message << "at " << step.at_s << " is after the end of the run (duration " << *ctx_.duration_s
            << ")";
    ctx_.diag.error(f->value, f->path, message.str());
  }
}

std::string StepReader::read_caller(const MapReader& map, const std::string& verb) {
  std::string who;
  const Field* f = map.require("who");
  if (f == nullptr || read_participant(*f, ctx_, who) == nullptr) return who;
  if (verb != "call" && !state_.reached.contains(who)) {
    ctx_.diag.error(f->value, f->path,
                    who + " is in no call yet: add {do: call, who: " + who +
                        "} (or a moderator invite) before this " + verb);
  }
  return who;
}

Action StepReader::read_who_action(std::string_view verb, const std::string& who) {
  if (verb == "send") {
    note_sending(ctx_, who, at_s_);
    return Send{who};
  }
  if (verb == "stop") return Stop{who};
  if (verb == "mute") return Mute{who};
  if (verb == "unmute") return Unmute{who};
  if (verb == "listen_only") return ListenOnly{who};
  if (verb == "listen_only_off") return ListenOnlyOff{who};
  if (verb == "resume") return Resume{who};
  return Hangup{who};
}

Action StepReader::read_call(const MapReader& map, const std::string& verb) {
  const std::string who = read_caller(map, verb);
  std::string number;
  if (const Field* f = map.require("number")) {
    if (f->value.IsScalar() && !f->value.Scalar().empty() &&
        f->value.Scalar().find_first_of(" \t@:;") == std::string::npos) {
      number = f->value.Scalar();
    } else {
      ctx_.diag.error(f->value, f->path,
                      "expected the number to dial (the user part of a SIP URI), got " +
                          config::detail::describe(f->value));
    }
  }
  if (verb == "transfer") return Transfer{who, number};
  if (!who.empty()) {
    state_.reached.insert(who);
    for (const Participant& p : ctx_.participants) {
      if (p.name == who && p.send_on_answer) note_sending(ctx_, who, at_s_);
    }
  }
  return Call{who, number};
}

Action StepReader::read_dtmf(const MapReader& map) {
  Dtmf dtmf;
  dtmf.who = read_caller(map, "dtmf");
  if (const Field* f = map.require("digits")) {
    const bool ok = f->value.IsScalar() && !f->value.Scalar().empty() &&
                    f->value.Scalar().find_first_not_of("0123456789*#ABCD") == std::string::npos;
    if (ok) {
      dtmf.digits = f->value.Scalar();
    } else {
      ctx_.diag.error(f->value, f->path,
                      "expected DTMF digits (0-9, *, #, A-D; quote them), got " +
                          config::detail::describe(f->value));
    }
  }
  std::string method;
  if (const Field* f = map.find("method");
      f && read_choice(*f, ctx_.diag, {"rfc4733", "info"}, method)) {
    dtmf.method = method == "info" ? DtmfMethod::kInfo : DtmfMethod::kRfc4733;
  }
  return dtmf;
}

}  // namespace

void read_timeline(const Field& field, Context& ctx, std::vector<Step>& out) {
  if (!field.value.IsSequence()) {
    ctx.diag.error(field.value, field.path, "expected a list of steps (entries start with '- ')");
    return;
  }
  TimelineState state;
  StepReader reader(ctx, state);
  for (std::size_t i = 0; i < field.value.size(); ++i) {
    std::string path = field.path;
    path.append("[").append(std::to_string(i)).append("]");
    if (std::optional<Step> step = reader.read(field.value[i], path)) {
      ctx.last_time_s = std::max(ctx.last_time_s, step->at_s);
      out.push_back(std::move(*step));
    }
  }
}

}  // namespace tutti::scenario::detail
