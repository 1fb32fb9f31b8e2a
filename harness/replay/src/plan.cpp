// Capture -> scenario: one participant per replayable call and pass, its steps at the captured
// times (divided by the speed), one embedded room per dialled number.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "audio_track.h"
#include "tutti/replay/replay.h"

namespace tutti::replay {
namespace {

constexpr double kLoopGapSeconds = 1.0;    // between two passes of the capture
constexpr double kDigitAfterSend = 0.05;   // a digit keyed before the answer goes after it
constexpr double kHangupAfterDigit = 0.5;  // lets the last digit's packets go out
constexpr double kTailSeconds = 2.0;       // the run goes on this long after the last step

std::optional<scenario::Codec> scenario_codec(const std::string& name) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "pcmu") return scenario::Codec::kPcmu;
  if (lower == "pcma") return scenario::Codec::kPcma;
  if (lower == "g722") return scenario::Codec::kG722;
  if (lower == "opus") return scenario::Codec::kOpus;
  return std::nullopt;
}

int codec_rate_hz(scenario::Codec codec) {
  switch (codec) {
    case scenario::Codec::kPcmu:
    case scenario::Codec::kPcma:
      return 8000;
    case scenario::Codec::kG722:
      return 16000;
    case scenario::Codec::kOpus:
      return 48000;
  }
  return 8000;
}

// [a-z0-9_-], at most 56 characters (room for a "-NN" suffix), never empty.
std::string sanitise(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '_') {
      out += static_cast<char>(std::tolower(u));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
    if (out.size() == 56) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "caller" : out;
}

std::string unique_name(const std::string& base, std::set<std::string>& taken) {
  std::string name = base;
  for (int n = 2; taken.contains(name); ++n) name = base + "-" + std::to_string(n);
  taken.insert(name);
  return name;
}

std::string room_name(const std::string& number) {
  std::string name = "room-";
  for (char c : number) name += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
  return name;
}

// Why a call cannot be replayed; empty when it can.
std::string skip_reason(const capture::CapturedCall& call, const ReplayOptions& options) {
  if (!call.offer) return "no SDP offer captured";
  if (!call.answered()) {
    return call.final_status != 0 ? "not answered (" + std::to_string(call.final_status) + ")"
                                  : "not answered in the capture";
  }
  if (!scenario_codec(call.codec.name)) {
    return "codec " + (call.codec.name.empty() ? std::string("unknown") : call.codec.name) +
           " cannot be replayed (PCMU, PCMA, G722, opus)";
  }
  if (call.number.empty() && options.room.empty()) return "no number dialled (give --room)";
  return "";
}

// When the call's last event happens: BYE, or the end of what the caller sent.
double end_time(const capture::CapturedCall& call) {
  if (call.hung_up()) return call.bye_time;
  double end = call.answer_time + 1.0;
  if (!call.sent.empty()) end = std::max(end, call.sent.back().time + 0.020);
  for (const capture::CapturedDigit& d : call.digits) end = std::max(end, d.time);
  return end;
}

Status check_options(const ReplayOptions& options) {
  if (!(options.speed >= kMinSpeed && options.speed <= kMaxSpeed)) {
    return {StatusCode::kInvalidArgument, "speed must be between 0.1 and 100"};
  }
  if (options.loops < 1 || options.loops > kMaxLoops) {
    return {StatusCode::kInvalidArgument, "loop must be between 1 and 100"};
  }
  if (options.work_dir.empty()) return {StatusCode::kInvalidArgument, "no work directory"};
  return Status::ok();
}

struct Builder {
  explicit Builder(const ReplayOptions& o) : options(o) {}
  const ReplayOptions& options;
  double t0 = 0;
  ReplayPlan plan;
  std::set<std::string> names;
  std::vector<std::pair<double, scenario::Action>> steps;  // stable-sorted at the end

  double at(double capture_time, double pass_offset) const {
    return (capture_time - t0 + pass_offset) / options.speed;
  }
  Status add(const capture::CapturedCall& call, int pass, double pass_offset);
  void finish();
};

Status Builder::add(const capture::CapturedCall& call, int pass, double pass_offset) {
  const scenario::Codec codec = *scenario_codec(call.codec.name);
  ReplayedCall r;
  r.participant = unique_name(sanitise(call.from_user.empty() ? call.from_display : call.from_user),
                              names);
  r.pass = pass;
  r.call_id = call.call_id;
  r.from = call.from_user.empty() ? call.from_display : call.from_user;
  r.captured_number = call.number;
  r.number = options.room.empty() ? call.number : options.room;
  r.codec = call.codec.name;
  r.sent = call.sent_summary;
  r.received = call.received_summary;
  for (const capture::CapturedDigit& d : call.digits) r.digits += d.digit;
  r.call_at_s = at(call.invite_time, pass_offset);
  r.send_at_s = at(call.answer_time, pass_offset);
  r.hangup_at_s = std::max(at(end_time(call), pass_offset), r.send_at_s);

  const std::filesystem::path wav =
      std::filesystem::path(options.work_dir) / (r.participant + ".wav");
  // Long enough for the stretched timeline when slowed down; a WAV source loops at its end.
  auto track = write_audio_track(call, call.answer_time, r.hangup_at_s - r.send_at_s + 1.0,
                                 wav.string());
  if (!track) return track.status();
  r.audio_path = track->path;
  r.audio_s = track->seconds;
  r.audio_packets = track->packets;

  scenario::Participant p;
  p.name = r.participant;
  p.codec = codec;
  p.rate_hz = codec_rate_hz(codec);
  p.audio.source = scenario::WavFile{track->path};
  plan.scenario.participants.push_back(p);

  steps.emplace_back(r.call_at_s, scenario::Call{r.participant, r.number});
  steps.emplace_back(r.send_at_s, scenario::Send{r.participant});
  double last_digit = r.send_at_s;
  for (const capture::CapturedDigit& d : call.digits) {
    last_digit = std::max(at(d.time, pass_offset), r.send_at_s + kDigitAfterSend);
    scenario::Dtmf dtmf;
    dtmf.who = r.participant;
    dtmf.digits = std::string(1, d.digit);
    dtmf.method = d.method == capture::DigitMethod::kSipInfo ? scenario::DtmfMethod::kInfo
                                                             : scenario::DtmfMethod::kRfc4733;
    steps.emplace_back(last_digit, dtmf);
  }
  if (!call.digits.empty()) r.hangup_at_s = std::max(r.hangup_at_s, last_digit + kHangupAfterDigit);
  steps.emplace_back(r.hangup_at_s, scenario::Hangup{r.participant});
  plan.calls.push_back(std::move(r));
  return Status::ok();
}

void Builder::finish() {
  std::stable_sort(steps.begin(), steps.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  double last = 0;
  for (auto& [at_s, action] : steps) {
    scenario::Step step;
    step.at_s = at_s;
    step.action = std::move(action);
    plan.scenario.timeline.push_back(std::move(step));
    last = std::max(last, at_s);
  }
  plan.scenario.duration_s = last + kTailSeconds;
}

scenario::EmbeddedServer embedded_server(const std::vector<ReplayedCall>& calls) {
  scenario::EmbeddedServer server;
  std::set<std::string> numbers;
  for (const ReplayedCall& call : calls) {
    if (!numbers.insert(call.number).second) continue;
    config::RoomEntry room;
    room.name = room_name(call.number);
    room.number = call.number;
    server.config.rooms.push_back(room);  // no PIN, no music on hold, not recorded
  }
  return server;
}

}  // namespace

Result<ReplayPlan> plan_replay(const capture::Capture& capture, std::string_view capture_path,
                               const ReplayOptions& options) {
  if (Status ok = check_options(options); !ok) return ok;
  Builder builder(options);
  std::vector<const capture::CapturedCall*> replayable;
  for (const capture::CapturedCall& call : capture.calls) {
    const std::string reason = skip_reason(call, options);
    if (reason.empty()) {
      replayable.push_back(&call);
    } else {
      builder.plan.skipped.push_back("call " + call.call_id + " from " + call.from_user + " to " +
                                     call.number + ": " + reason + "; skipped");
    }
  }
  const std::string path(capture_path);
  if (replayable.empty()) {
    std::string message = path + ": no call to replay";
    for (const std::string& s : builder.plan.skipped) message += "\n  " + s;
    if (capture.calls.empty()) message += " (no SIP dialog with an INVITE in the capture)";
    return Status{StatusCode::kInvalidArgument, message};
  }
  std::error_code ec;
  std::filesystem::create_directories(options.work_dir, ec);
  if (ec) return Status{StatusCode::kInternal, "cannot create " + options.work_dir};
  builder.t0 = replayable.front()->invite_time;
  double span = 0;
  for (const auto* call : replayable) {
    builder.t0 = std::min(builder.t0, call->invite_time);
  }
  for (const auto* call : replayable) span = std::max(span, end_time(*call) - builder.t0);
  for (int pass = 1; pass <= options.loops; ++pass) {
    const double offset = (pass - 1) * (span + kLoopGapSeconds);
    for (const auto* call : replayable) {
      if (Status added = builder.add(*call, pass, offset); !added) return added;
    }
  }
  builder.finish();
  scenario::Scenario& s = builder.plan.scenario;
  s.name = std::filesystem::path(path).filename().string() + " (replay)";
  s.source = path;
  if (options.target.empty()) {
    s.server = embedded_server(builder.plan.calls);
  } else {
    Result<config::Endpoint> sip = config::parse_endpoint(options.target);
    if (!sip) return Status{StatusCode::kInvalidArgument, "--target: " + sip.status().message()};
    scenario::TargetServer target;
    target.sip = sip.value();
    s.server = target;
  }
  return std::move(builder.plan);
}

}  // namespace tutti::replay
