// Engine tick cost: one big room swept over participants x speakers, the same room with
// listeners that send nothing (DTX), and 1,000 small rooms over a thread sweep (0 = serial).
//
// Only Engine::tick() is timed (manual time, steady_clock around the call): pushing this tick's
// input frames and draining every output happen outside the timed region, as the network
// threads would do them. The engine uses the kernels simd::kernels() picks for this CPU.
// Names: BM_RoomTick/<participants>/<speakers>, BM_RoomTickListenersSilentByAbsence/<p>/<s>,
// BM_ManyRooms/<threads>; counters carry the same numbers for scripts/plot_bench.py.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>
#include <numbers>
#include <span>
#include <vector>

#include "tutti/engine.h"

namespace {

using tutti::Engine;
using tutti::EngineConfig;
using tutti::ParticipantLink;
using tutti::RoomConfig;

constexpr int kRateHz = 48000;
constexpr int kTickMs = 20;
constexpr std::size_t kFrameSamples = kRateHz / 1000 * kTickMs;
constexpr double kSpeakerAmplitude = 0.2;
constexpr int kWarmupTicks = 10;  // talk detection settles, gain ramps reach their targets

// One 20 ms frame of a tone with a whole number of cycles (a multiple of 50 Hz), so the same
// frame repeated every tick is a continuous tone.
std::vector<int16_t> tone_frame(int speaker) {
  const double freq_hz = 300.0 + 50.0 * speaker;
  std::vector<int16_t> pcm(kFrameSamples);
  for (std::size_t i = 0; i < kFrameSamples; ++i) {
    const double phase = 2.0 * std::numbers::pi * freq_hz * static_cast<double>(i) / kRateHz;
    pcm[i] = static_cast<int16_t>(std::lround(kSpeakerAmplitude * 32767.0 * std::sin(phase)));
  }
  return pcm;
}

enum class ListenerInput { kSilentFrames, kNothing };

// Rooms of participants, each with the frame it sends every tick (nullptr: sends nothing).
class Harness {
 public:
  Harness(EngineConfig config, int rooms, int per_room, int speakers_per_room,
          ListenerInput listeners)
      : silence_(kFrameSamples, 0), out_(kFrameSamples) {
    config.tick_ms = kTickMs;
    config.sample_rate_hz = kRateHz;
    config.max_rooms = std::max(config.max_rooms, rooms);
    config.max_participants = std::max(config.max_participants, rooms * per_room);
    config.command_queue_capacity = std::max(config.command_queue_capacity, 2 * rooms * per_room);
    engine_ = std::move(*Engine::create(config));
    for (int s = 0; s < speakers_per_room; ++s) tones_.push_back(tone_frame(s));
    RoomConfig room_config;
    room_config.max_participants = per_room;
    room_config.max_speakers = 3;
    for (int r = 0; r < rooms; ++r) {
      const tutti::RoomId room = *engine_->create_room(room_config);
      for (int p = 0; p < per_room; ++p) {
        links_.push_back(*engine_->add_participant(room, {}));
        if (p < speakers_per_room) {
          inputs_.push_back(tones_[static_cast<std::size_t>(p)].data());
        } else {
          inputs_.push_back(listeners == ListenerInput::kNothing ? nullptr : silence_.data());
        }
      }
    }
    for (int t = 0; t < kWarmupTicks; ++t) timed_tick();
  }

  // Inputs in, one timed tick, outputs out. Returns the tick's duration in seconds.
  double timed_tick() {
    for (std::size_t i = 0; i < links_.size(); ++i) {
      if (inputs_[i] != nullptr) links_[i].try_push_input({inputs_[i], kFrameSamples});
    }
    const auto start = std::chrono::steady_clock::now();
    engine_->tick();
    const auto end = std::chrono::steady_clock::now();
    for (ParticipantLink& link : links_) link.try_pull_output(out_);
    while (engine_->poll_events(events_) == std::size(events_)) {
    }
    return std::chrono::duration<double>(end - start).count();
  }

  std::size_t participants() const { return links_.size(); }
  const Engine& engine() const { return *engine_; }

 private:
  std::unique_ptr<Engine> engine_;
  std::vector<std::vector<int16_t>> tones_;
  std::vector<int16_t> silence_;
  std::vector<int16_t> out_;
  std::vector<ParticipantLink> links_;
  std::vector<const int16_t*> inputs_;
  tutti::Event events_[256];
};

void set_participant_counters(benchmark::State& state, std::size_t participants,
                              double total_seconds) {
  const auto iterations = static_cast<double>(state.iterations());
  const auto p = static_cast<double>(participants);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(participants));
  state.counters["participants"] = p;
  state.counters["us_per_tick"] = total_seconds * 1e6 / iterations;
  state.counters["us_per_participant"] = total_seconds * 1e6 / (iterations * p);
}

void run_room(benchmark::State& state, ListenerInput listeners) {
  const auto participants = static_cast<int>(state.range(0));
  const auto speakers = static_cast<int>(state.range(1));
  EngineConfig config;
  config.max_participants = 10000;
  Harness harness(config, 1, participants, speakers, listeners);
  double total = 0.0;
  for (auto _ : state) {
    const double seconds = harness.timed_tick();
    state.SetIterationTime(seconds);
    total += seconds;
  }
  set_participant_counters(state, harness.participants(), total);
  state.counters["speakers"] = speakers;
  if (harness.engine().stats().events_dropped != 0) state.SkipWithError("events dropped");
}

void BM_RoomTick(benchmark::State& state) { run_room(state, ListenerInput::kSilentFrames); }

// Listeners send no frame at all (DTX, RFC 6464 silence), so the tick skips their input level
// detection: what remains is mostly the mix stage.
void BM_RoomTickListenersSilentByAbsence(benchmark::State& state) {
  run_room(state, ListenerInput::kNothing);
}

double percentile(const std::vector<double>& sorted, double q) {
  const auto index = static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(index, sorted.size() - 1)];
}

// 1,000 rooms x 10 participants (2 speakers each, the rest silent frames) over a thread sweep.
void BM_ManyRooms(benchmark::State& state) {
  constexpr int kRooms = 1000;
  constexpr int kPerRoom = 10;
  EngineConfig config;
  config.threads = static_cast<int>(state.range(0));
  Harness harness(config, kRooms, kPerRoom, 2, ListenerInput::kSilentFrames);
  std::vector<double> ticks;
  ticks.reserve(static_cast<std::size_t>(state.max_iterations));
  for (auto _ : state) {
    const double seconds = harness.timed_tick();
    state.SetIterationTime(seconds);
    ticks.push_back(seconds);
  }
  double total = 0.0;
  for (double t : ticks) total += t;
  set_participant_counters(state, harness.participants(), total);
  std::sort(ticks.begin(), ticks.end());
  state.counters["threads"] = static_cast<double>(config.threads);
  state.counters["mean_us"] = total * 1e6 / static_cast<double>(ticks.size());
  state.counters["p50_us"] = percentile(ticks, 0.50) * 1e6;
  state.counters["p99_us"] = percentile(ticks, 0.99) * 1e6;
  state.counters["max_us"] = ticks.back() * 1e6;
}

BENCHMARK(BM_RoomTick)
    ->ArgsProduct({{10, 100, 1000, 10000}, {1, 3, 10}})
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RoomTickListenersSilentByAbsence)
    ->Args({1000, 3})
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ManyRooms)
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Iterations(1000)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
