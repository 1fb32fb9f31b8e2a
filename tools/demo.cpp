#include "demo.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <array>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "tutti/engine.h"
#include "tutti/simd/kernels.h"
#include "tutti/tone_meter.h"

namespace tutti::tools {

namespace {

struct Caller {
  const char* name;
  double tone_hz;
  ParticipantLink link;
  double phase = 0.0;
  std::vector<int16_t> heard;
};

constexpr double kAmplitude = 0.2;      // -14 dB re full scale
constexpr double kHeardDb = -30.0;      // a tone above this counts as heard
constexpr double kSelfLimitDb = -60.0;  // own tone must stay this far below the others

void fill_tone(Caller& c, std::span<int16_t> pcm, int rate_hz) {
  const double step = 2.0 * std::numbers::pi * c.tone_hz / rate_hz;
  for (int16_t& s : pcm) {
    s = static_cast<int16_t>(std::lround(32767.0 * kAmplitude * std::sin(c.phase)));
    c.phase = std::fmod(c.phase + step, 2.0 * std::numbers::pi);
  }
}

}  // namespace

int run_demo(const DemoOptions& o, std::ostream& out) {
  EngineConfig ec;
  ec.sample_rate_hz = o.sample_rate_hz;
  ec.tick_ms = o.tick_ms;
  ec.threads = o.threads;
  auto engine = Engine::create(ec);
  if (!engine) {
    fmt::print(out, "tutti demo: {}\n", engine.status().to_string());
    return 2;
  }
  Engine& e = **engine;
  RoomConfig rc;
  rc.name = "demo";
  auto room = e.create_room(rc);
  if (!room) {
    fmt::print(out, "tutti demo: {}\n", room.status().to_string());
    return 2;
  }
  std::array<Caller, 3> callers{
      {{"alice", 440.0, {}, 0.0, {}}, {"bob", 660.0, {}, 0.0, {}}, {"carol", 880.0, {}, 0.0, {}}}};
  for (Caller& c : callers) {
    ParticipantConfig pc;
    pc.name = c.name;
    auto link = e.add_participant(*room, pc);
    if (!link) {
      fmt::print(out, "tutti demo: {}\n", link.status().to_string());
      return 2;
    }
    c.link = *link;
  }

  std::vector<int16_t> pcm(e.frame_samples());
  for (int t = 0; t < o.ticks; ++t) {
    for (Caller& c : callers) {
      fill_tone(c, pcm, o.sample_rate_hz);
      (void)c.link.try_push_input(pcm);
    }
    e.tick();
    for (Caller& c : callers) {
      const std::size_t got = c.link.try_pull_output(pcm);
      c.heard.insert(c.heard.end(), pcm.begin(), pcm.begin() + static_cast<long>(got));
    }
  }

  fmt::print(out, "tutti demo: 3 participants, {} Hz, {} ms ticks, {} ticks ({:.1f} s), simd {}\n",
             o.sample_rate_hz, o.tick_ms, o.ticks, o.ticks * o.tick_ms / 1000.0,
             simd::isa_name(simd::kernels().isa));
  fmt::print(out,
             "each sends one tone at {:.0f} dB; levels below are dB re full-scale sine, "
             "measured over the last second\n\n",
             20.0 * std::log10(kAmplitude));
  fmt::print(out, "{:<8}{:>8}", "who", "sends");
  for (const Caller& c : callers) fmt::print(out, "{:>12}", fmt::format("{:.0f} Hz", c.tone_hz));
  fmt::print(out, "   verdict\n");

  bool all_ok = true;
  const std::size_t window =
      std::min<std::size_t>(static_cast<std::size_t>(o.sample_rate_hz), callers[0].heard.size());
  for (const Caller& listener : callers) {
    const std::span<const int16_t> last(listener.heard.data() + listener.heard.size() - window,
                                        window);
    std::string heard_names;
    bool ok = window > 0;
    double own_db = 0.0, weakest_other_db = 0.0;
    fmt::print(out, "{:<8}{:>8}", listener.name, fmt::format("{:.0f} Hz", listener.tone_hz));
    for (const Caller& speaker : callers) {
      const double db = tone_level_db(last, speaker.tone_hz, o.sample_rate_hz);
      fmt::print(out, "{:>12}", db <= -150.0 ? std::string("silent") : fmt::format("{:.1f}", db));
      if (&speaker == &listener) {
        own_db = db;
        continue;
      }
      weakest_other_db = std::min(weakest_other_db, db);
      if (db > kHeardDb) {
        heard_names += heard_names.empty() ? speaker.name : std::string(", ") + speaker.name;
      } else {
        ok = false;
      }
    }
    ok = ok && own_db < weakest_other_db + kSelfLimitDb;
    all_ok = all_ok && ok;
    fmt::print(out, "   {}: hears {}; own tone {}\n", ok ? "ok" : "FAIL",
               heard_names.empty() ? "nobody" : heard_names,
               own_db < weakest_other_db + kSelfLimitDb ? "absent" : "PRESENT");
  }
  fmt::print(
      out, "\n{}\n",
      all_ok ? "mix-minus ok: everyone hears everyone else, never themselves" : "mix-minus FAILED");
  return all_ok ? 0 : 1;
}

}  // namespace tutti::tools
