// Engine tick cost: one big room swept over participants x speakers, the same room with
// listeners that send nothing (DTX), and 1,000 small rooms over a thread sweep (0 = serial).
//
// Only Engine::tick() is timed (manual time, steady_clock around the call): pushing this tick's
// input frames and draining every output happen outside the timed region, as the network
// threads would do them. The engine uses the kernels simd::kernels() picks for this CPU.
// Names: BM_RoomTick/<participants>/<speakers>, BM_RoomTickListenersSilentByAbsence/<p>/<s>,
// BM_ManyRooms/<threads>; counters carry the same numbers for scripts/plot_bench.py.
//
// Media path (codec participants, RTP in and encoded payloads out): BM_OpusRoomTick/<p> is one
// room of Opus participants, BM_G711Rooms/<threads> is 200 rooms of 10 PCMU participants.
// Talkers send real encoded packets (pre-encoded before timing); listeners send either nothing
// (Opus DTX between comfort packets) or a packet flagged silent by RFC 6464.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>
#include <numbers>
#include <span>
#include <string>
#include <vector>

#include "tutti/codecs/registry.h"
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

// Times the tick of every iteration (manual time), then reports the per-participant cost and
// the distribution of tick times: mean, p50, p99 and max in µs.
template <typename TickHarness>
void time_ticks(benchmark::State& state, TickHarness& harness) {
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
  state.counters["mean_us"] = total * 1e6 / static_cast<double>(ticks.size());
  state.counters["p50_us"] = percentile(ticks, 0.50) * 1e6;
  state.counters["p99_us"] = percentile(ticks, 0.99) * 1e6;
  state.counters["max_us"] = ticks.back() * 1e6;
}

// 1,000 rooms x 10 participants (2 speakers each, the rest silent frames) over a thread sweep.
void BM_ManyRooms(benchmark::State& state) {
  constexpr int kRooms = 1000;
  constexpr int kPerRoom = 10;
  EngineConfig config;
  config.threads = static_cast<int>(state.range(0));
  Harness harness(config, kRooms, kPerRoom, 2, ListenerInput::kSilentFrames);
  time_ticks(state, harness);
  state.counters["threads"] = static_cast<double>(config.threads);
}

// ---- Media path: codec participants ----

constexpr int kMediaWarmupTicks = 50;      // jitter buffers fill, talk detection settles
constexpr int kPreEncodedFrames = 50;      // one second of each talker's tone, cycled
constexpr uint8_t kSilentLevelDbov = 127;  // RFC 6464: silence

enum class MediaListener { kSilentFlagged, kNothing };

// What one participant sends each tick: a cycle of pre-encoded packets, a packet flagged silent,
// or nothing.
struct MediaSender {
  ParticipantLink link;
  const std::vector<std::vector<uint8_t>>* packets = nullptr;  // talker
  bool silent_flagged = false;                                 // listener sending silence
  std::size_t next = 0;
  uint16_t seq = 1;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0;
};

// Encodes `frames` consecutive 20 ms frames of a continuous tone with a real encoder.
std::vector<std::vector<uint8_t>> encode_tone(const tutti::codecs::CodecInfo& info, double freq_hz,
                                              int frames) {
  auto encoder = std::move(tutti::codecs::create_encoder(info).value());
  const int rate = info.sample_rate_hz;
  const auto n = static_cast<std::size_t>(rate / 1000 * kTickMs);
  std::vector<int16_t> pcm(n);
  std::vector<std::vector<uint8_t>> packets;
  std::vector<uint8_t> out(1500);
  for (int f = 0; f < frames; ++f) {
    for (std::size_t i = 0; i < n; ++i) {
      const double t = static_cast<double>(static_cast<std::size_t>(f) * n + i) / rate;
      pcm[i] = static_cast<int16_t>(std::lround(kSpeakerAmplitude * 32767.0 *
                                                std::sin(2.0 * std::numbers::pi * freq_hz * t)));
    }
    const int bytes = encoder->encode(pcm, out);
    packets.emplace_back(out.begin(), out.begin() + std::max(bytes, 0));
  }
  return packets;
}

struct MediaSetup {
  std::string codec;  // "opus" or "PCMU"
  int threads = 0;
  int rooms = 1;
  int per_room = 0;
  int speakers_per_room = 3;
  bool half_silent_flagged = false;  // else every listener sends nothing
};

// Rooms of codec participants. Pushing RTP and draining every output happen outside the timed
// region, as the network threads would do them.
class MediaHarness {
 public:
  explicit MediaHarness(const MediaSetup& setup) : out_(1500), silent_payload_(3, 0) {
    const tutti::codecs::CodecInfo* info =
        tutti::codecs::find(setup.codec, setup.codec == "opus" ? 48000 : 8000);
    payload_type_ = setup.codec == "opus" ? 111 : static_cast<uint8_t>(info->static_payload_type);
    clock_step_ = static_cast<uint32_t>(info->rtp_clock_rate_hz / 1000 * kTickMs);
    for (int s = 0; s < setup.speakers_per_room; ++s) {
      talker_packets_.push_back(encode_tone(*info, 300.0 + 150.0 * s, kPreEncodedFrames));
    }
    const int total = setup.rooms * setup.per_room;
    EngineConfig config;
    config.tick_ms = kTickMs;
    config.sample_rate_hz = kRateHz;
    config.threads = setup.threads;
    config.max_rooms = std::max(config.max_rooms, setup.rooms);
    config.max_participants = std::max(config.max_participants, total);
    config.command_queue_capacity = std::max(config.command_queue_capacity, 2 * total);
    engine_ = std::move(*Engine::create(config));
    RoomConfig room_config;
    room_config.max_participants = setup.per_room;
    room_config.max_speakers = 3;
    tutti::ParticipantConfig pc;
    pc.media.codec = setup.codec;
    senders_.reserve(static_cast<std::size_t>(total));
    for (int r = 0; r < setup.rooms; ++r) {
      rooms_.push_back(*engine_->create_room(room_config));
      for (int p = 0; p < setup.per_room; ++p) {
        MediaSender s;
        s.link = *engine_->add_participant(rooms_.back(), pc);
        s.ssrc = 1000 + static_cast<uint32_t>(senders_.size());
        if (p < setup.speakers_per_room) {
          s.packets = &talker_packets_[static_cast<std::size_t>(p)];
        } else {
          s.silent_flagged = setup.half_silent_flagged && (p - setup.speakers_per_room) % 2 == 0;
        }
        senders_.push_back(s);
      }
    }
    for (int t = 0; t < kMediaWarmupTicks; ++t) timed_tick();
  }

  // RTP in, one timed tick, encoded payloads out. Returns the tick's duration in seconds.
  double timed_tick() {
    for (MediaSender& s : senders_) push(s);
    const auto start = std::chrono::steady_clock::now();
    engine_->tick();
    const auto end = std::chrono::steady_clock::now();
    for (MediaSender& s : senders_) s.link.try_pull_rtp(out_);
    while (engine_->poll_events(events_) == std::size(events_)) {
    }
    now_ms_ += kTickMs;
    return std::chrono::duration<double>(end - start).count();
  }

  // Encodes and decodes of the last tick, all rooms together.
  tutti::RoomStats last_tick_totals() const {
    tutti::RoomStats total;
    for (tutti::RoomId room : rooms_) {
      const tutti::RoomStats s = *engine_->room_stats(room);
      total.participants += s.participants;
      total.encodes += s.encodes;
      total.decodes += s.decodes;
      total.encode_groups += s.encode_groups;
    }
    return total;
  }

  std::size_t participants() const { return senders_.size(); }
  const Engine& engine() const { return *engine_; }

 private:
  void push(MediaSender& s) {
    if (s.packets == nullptr && !s.silent_flagged) return;
    tutti::RtpInput in;
    in.seq = s.seq++;
    in.timestamp = s.timestamp;
    s.timestamp += clock_step_;
    in.ssrc = s.ssrc;
    in.payload_type = payload_type_;
    in.arrival_ms = now_ms_;
    if (s.packets != nullptr) {
      const std::vector<uint8_t>& packet = (*s.packets)[s.next];
      s.next = (s.next + 1) % s.packets->size();
      in.payload = packet;
    } else {
      in.audio_level_dbov = kSilentLevelDbov;
      in.payload = silent_payload_;
    }
    s.link.try_push_rtp(in);
  }

  std::unique_ptr<Engine> engine_;
  std::vector<tutti::RoomId> rooms_;
  std::vector<std::vector<std::vector<uint8_t>>> talker_packets_;
  std::vector<MediaSender> senders_;
  std::vector<uint8_t> out_;
  std::vector<uint8_t> silent_payload_;
  uint8_t payload_type_ = 0;
  uint32_t clock_step_ = 0;
  int64_t now_ms_ = 1000;
  tutti::Event events_[256];
};

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

void run_media(benchmark::State& state, const MediaSetup& setup) {
  MediaHarness harness(setup);
  time_ticks(state, harness);
  const tutti::RoomStats last = harness.last_tick_totals();
  state.counters["threads"] = static_cast<double>(setup.threads);
  state.counters["encodes_per_tick"] = last.encodes;
  state.counters["decodes_per_tick"] = last.decodes;
  state.counters["encode_groups"] = last.encode_groups;
  // The process's peak so far: the sweep runs in increasing size, so this is the largest run's.
  state.counters["peak_rss_mb"] = peak_rss_mb();
  if (harness.engine().stats().events_dropped != 0) state.SkipWithError("events dropped");
}

// One room of Opus participants: 3 talkers; of the listeners half send a packet flagged silent
// by RFC 6464 every tick and half send nothing. Serial tick (threads = 0).
void BM_OpusRoomTick(benchmark::State& state) {
  MediaSetup setup;
  setup.codec = "opus";
  setup.per_room = static_cast<int>(state.range(0));
  setup.speakers_per_room = 3;
  setup.half_silent_flagged = true;
  run_media(state, setup);
}

// 200 rooms x 10 PCMU participants, 2 talkers per room, the rest send nothing; thread sweep.
void BM_G711Rooms(benchmark::State& state) {
  MediaSetup setup;
  setup.codec = "PCMU";
  setup.threads = static_cast<int>(state.range(0));
  setup.rooms = 200;
  setup.per_room = 10;
  setup.speakers_per_room = 2;
  run_media(state, setup);
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
BENCHMARK(BM_OpusRoomTick)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->Iterations(500)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_G711Rooms)
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Iterations(1000)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
