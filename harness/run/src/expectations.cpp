// The checks of a scenario's `expect:` list, from what the run collected (run_context.h).
// Levels: a participant's tone counts as heard at >= -40 dB (re a full-scale sine; talkers
// send at -20 dBFS and arrive at about -20 to -26 dB after codec and mix) and as absent below
// -45 dB; silence is an RMS below -50 dBFS.
#include <fmt/format.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>

#include "run_context.h"
#include "tutti/runner/listen.h"

namespace tutti::run {
namespace {

constexpr double kHeardDb = -40.0;
constexpr double kAbsentDb = -45.0;
constexpr double kSilentDbfs = -50.0;

using scenario::Scenario;

std::optional<double> tone_of(const Scenario& s, const std::string& who) {
  const scenario::Participant* p = s.find_participant(who);
  if (p == nullptr) return std::nullopt;
  if (const auto* tone = std::get_if<scenario::Tone>(&p->audio.source)) return tone->frequency_hz;
  return std::nullopt;
}

std::string window_text(const scenario::Window& w) {
  return fmt::format("{:.1f}-{:.1f} s", w.from_s, w.to_s);
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The music on hold of the room `who` dialled last before `t`: its tone when the scenario
// generated it as one.
std::optional<double> music_tone(const Scenario& s, const std::string& who, double t) {
  std::string number;
  for (const scenario::Step& step : s.timeline) {
    if (step.at_s > t) break;
    if (const auto* call = std::get_if<scenario::Call>(&step.action); call && call->who == who) {
      number = call->number;
    }
    if (const auto* tr = std::get_if<scenario::Transfer>(&step.action); tr && tr->who == who) {
      number = tr->number;
    }
  }
  const auto* embedded = std::get_if<scenario::EmbeddedServer>(&s.server);
  if (embedded == nullptr) return std::nullopt;
  for (const config::RoomEntry& room : embedded->config.rooms) {
    if (room.number != number || room.moh.empty()) continue;
    for (const scenario::AudioFile& file : s.audio_files) {
      if (file.path != room.moh) continue;
      if (const auto* tone = std::get_if<scenario::Tone>(&file.audio.source)) {
        return tone->frequency_hz;
      }
    }
  }
  return std::nullopt;
}

// Hears / NotHears: each source's tone level in what `who` heard over the window.
ExpectationResult check_sources(const RunContext& c, const std::string& who,
                                const std::vector<std::string>& sources,
                                const scenario::Window& window, bool heard) {
  ExpectationResult r;
  r.what = fmt::format("{} {} {} in {}", who, heard ? "hears" : "does not hear", join(sources),
                       window_text(window));
  const auto media = c.phones->media(who);
  const std::vector<int16_t> pcm = media->heard(window.from_s, window.to_s);
  r.passed = true;
  for (const std::string& source : sources) {
    const double level =
        runner::tone_db(pcm, *tone_of(*c.scenario, source), media->heard_rate_hz());
    r.measured += fmt::format("{}{} {:.1f} dB", r.measured.empty() ? "" : ", ", source, level);
    r.passed = r.passed && (heard ? level >= kHeardDb : level < kAbsentDb);
  }
  r.measured += heard ? fmt::format(" (heard at >= {:.0f} dB)", kHeardDb)
                      : fmt::format(" (absent below {:.0f} dB)", kAbsentDb);
  return r;
}

ExpectationResult check(const RunContext& c, const scenario::Hears& e) {
  return check_sources(c, e.who, e.sources, e.window, true);
}

ExpectationResult check(const RunContext& c, const scenario::NotHears& e) {
  return check_sources(c, e.who, e.sources, e.window, false);
}

ExpectationResult check(const RunContext& c, const scenario::HearsMusic& e) {
  ExpectationResult r;
  r.what = fmt::format("{} {} music on hold in {}", e.who, e.music ? "hears" : "does not hear",
                       window_text(e.window));
  const auto media = c.phones->media(e.who);
  const std::vector<int16_t> pcm = media->heard(e.window.from_s, e.window.to_s);
  if (const auto tone = music_tone(*c.scenario, e.who, e.window.from_s)) {
    const double level = runner::tone_db(pcm, *tone, media->heard_rate_hz());
    r.measured = fmt::format("music tone {:.0f} Hz at {:.1f} dB", *tone, level);
    r.passed = e.music ? level >= kHeardDb : level < kAbsentDb;
  } else {
    const double rms = runner::rms_dbfs(pcm);
    r.measured =
        fmt::format("RMS {:.1f} dBFS (music is not a generated tone: any sound counts)", rms);
    r.passed = e.music ? rms >= kSilentDbfs : rms < kSilentDbfs;
  }
  return r;
}

ExpectationResult check(const RunContext& c, const scenario::HearsSilence& e) {
  ExpectationResult r;
  r.what = fmt::format("{} hears {} in {}", e.who, e.silent ? "silence" : "something",
                       window_text(e.window));
  const std::vector<int16_t> pcm = c.phones->media(e.who)->heard(e.window.from_s, e.window.to_s);
  const double rms = runner::rms_dbfs(pcm);
  r.measured = fmt::format("RMS {:.1f} dBFS (silent below {:.0f})", rms, kSilentDbfs);
  r.passed = e.silent ? rms < kSilentDbfs : rms >= kSilentDbfs;
  return r;
}

ExpectationResult check(const RunContext& c, const scenario::HungUp& e) {
  ExpectationResult r;
  const CallRecord record = c.phones->record(e.who);
  const char* by = e.by == scenario::Party::kServer ? "the server"
                   : e.by == scenario::Party::kSelf ? "itself"
                                                    : "anyone";
  r.what = e.hung_up ? fmt::format("{}'s call was ended by {}", e.who, by)
                     : fmt::format("{}'s call stays up", e.who);
  // The runner hangs up every call left at the end of the run: that is not a hang-up here.
  const bool ended = record.phase == CallPhase::kEnded && record.answered_at >= 0 &&
                     !(record.ended_by_self && record.ended_at >= c.end_s);
  bool who_ok =
      e.by == scenario::Party::kAny || (e.by == scenario::Party::kSelf) == record.ended_by_self;
  bool when_ok =
      !e.window || (record.ended_at >= e.window->from_s && record.ended_at <= e.window->to_s);
  r.measured =
      ended ? fmt::format("ended at {:.1f} s by {} (status {})", record.ended_at,
                          record.ended_by_self ? "itself" : "the far end", record.final_status)
            : (record.answered_at >= 0 ? "still up" : "never answered");
  r.passed = e.hung_up ? ended && who_ok && when_ok
                       : !ended || (e.window && record.ended_at > e.window->to_s);
  return r;
}

ExpectationResult check(const RunContext& c, const scenario::Refused& e) {
  ExpectationResult r;
  const CallRecord record = c.phones->record(e.who);
  r.what = fmt::format("{}'s call is refused with {}", e.who, e.status);
  r.measured = record.answered_at >= 0 ? "it was answered"
                                       : fmt::format("final status {}", record.final_status);
  r.passed = record.answered_at < 0 && record.final_status == e.status;
  return r;
}

std::vector<std::string> names_where(const nlohmann::json& room, const char* flag) {
  std::vector<std::string> names;
  for (const auto& p : room.value("participants", nlohmann::json::array())) {
    if (p.value("state", "") != "active") continue;
    if (flag == nullptr || p.value(flag, false)) names.push_back(p.value("name", ""));
  }
  std::sort(names.begin(), names.end());
  return names;
}

ExpectationResult check(const RunContext& c, const scenario::Roster& e, std::size_t index) {
  ExpectationResult r;
  r.what = fmt::format("roster of {} at {:.1f} s", e.room, e.at_s);
  auto it = c.rosters.find(index);
  if (it == c.rosters.end()) {
    r.measured = c.have_api ? "no roster was read (API error)" : "no API to read the roster";
    return r;
  }
  r.passed = true;
  auto compare = [&](const char* label, const char* flag, std::vector<std::string> want) {
    std::sort(want.begin(), want.end());
    const std::vector<std::string> got = names_where(it->second, flag);
    r.measured += fmt::format("{}{} [{}]", r.measured.empty() ? "" : "; ", label, join(got));
    if (got != want) {
      r.passed = false;
      r.measured += fmt::format(" (want [{}])", join(want));
    }
  };
  compare("active", nullptr, e.active);
  if (e.muted) compare("muted", "muted", *e.muted);
  if (e.listen_only) compare("listen_only", "listen_only", *e.listen_only);
  if (e.on_hold) compare("on_hold", "on_hold", *e.on_hold);
  return r;
}

ExpectationResult check(const RunContext& c, const scenario::Events& e) {
  ExpectationResult r;
  std::vector<std::string> want;
  for (const auto& p : e.in_order) want.push_back(p.who.empty() ? p.type : p.type + " " + p.who);
  r.what = fmt::format("events of {} in order: {}", e.room, join(want));
  std::size_t matched = 0;
  for (const SeenEvent& seen : c.events) {
    if (matched == e.in_order.size()) break;
    if (seen.room != e.room) continue;
    const scenario::EventPattern& next = e.in_order[matched];
    if (seen.type == next.type && (next.who.empty() || seen.who == next.who)) ++matched;
  }
  r.passed = matched == e.in_order.size();
  r.measured = r.passed ? "all seen in order"
                        : fmt::format("{} of {} matched; next missing: {}", matched, want.size(),
                                      want[matched]);
  if (!c.have_api) r.measured = "no API to watch events";
  return r;
}

ExpectationResult check(const RunContext& c, const scenario::Recording& e) {
  ExpectationResult r;
  r.what = fmt::format("{} was recorded for >= {:.1f} s", e.room, e.min_seconds);
  std::string path;
  for (const SeenEvent& seen : c.events) {
    if (seen.room == e.room && seen.type == "recording_started") path = seen.data.value("path", "");
  }
  if (path.empty()) {
    r.measured = "no recording_started event";
    return r;
  }
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  if (file == nullptr) {
    r.measured = path + ": " + sf_strerror(nullptr);
    return r;
  }
  std::vector<int16_t> pcm(static_cast<std::size_t>(info.frames * info.channels));
  sf_read_short(file, pcm.data(), static_cast<sf_count_t>(pcm.size()));
  sf_close(file);
  const double seconds = static_cast<double>(info.frames) / info.samplerate;
  r.measured = fmt::format("{}: {:.1f} s", path, seconds);
  r.passed = seconds >= e.min_seconds;
  for (double hz : e.tones_hz) {
    // The loudest second: a tone heard for part of the recording still counts.
    double best = -200;
    const auto second = static_cast<std::size_t>(info.samplerate);
    for (std::size_t at = 0; at + second <= pcm.size(); at += second / 2) {
      best =
          std::max(best, runner::tone_db(std::span(pcm).subspan(at, second), hz, info.samplerate));
    }
    r.measured += fmt::format(", {:.0f} Hz {:.1f} dB", hz, best);
    r.passed = r.passed && best >= kHeardDb;
  }
  return r;
}

}  // namespace

std::vector<ExpectationResult> check_expectations(const RunContext& c) {
  std::vector<ExpectationResult> results;
  for (std::size_t i = 0; i < c.scenario->expect.size(); ++i) {
    const scenario::Expect& expect = c.scenario->expect[i];
    ExpectationResult result = std::visit(
        [&](const auto& e) -> ExpectationResult {
          if constexpr (std::is_same_v<std::decay_t<decltype(e)>, scenario::Roster>) {
            return check(c, e, i);
          } else {
            return check(c, e);
          }
        },
        expect.what);
    result.where = expect.where;
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace tutti::run
