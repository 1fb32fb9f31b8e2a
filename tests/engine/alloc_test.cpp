// The tick never allocates: every malloc and operator new in this process is counted while
// armed, on the tick's threads (the ticking thread and TBB's workers); the control thread and
// the recording writer thread are allowed to allocate.
// Ten thousand ticks run with rooms of both routing modes, on 0 and 2 worker threads, while
// the control thread joins, leaves, kicks and mutes participants.
// Sanitizer runtimes own malloc, so under ASan/TSan this test is skipped (it runs in the
// plain Release and Debug builds).
#include <gtest/gtest.h>
#include <oneapi/tbb/task_arena.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <new>
#include <thread>

#include "support/alloc_counter.h"
#include "support/signals.h"
#include "tutti/codecs/registry.h"
#include "tutti/engine.h"

namespace {
thread_local bool t_tick = false;

// The tick's threads: the one calling Engine::tick() and the TBB workers it runs rooms on.
// The control thread (exempted) and the recording writer thread may allocate.
bool on_tick_thread() { return t_tick || tbb::this_task_arena::current_thread_index() >= 0; }
}  // namespace

namespace tutti::test {
namespace {

// Releases the control thread, runs 10,000 ticks with the counter armed, and expects zero.
template <typename Tick>
void measure_ticks(Tick&& one_tick, std::atomic<bool>& go, std::atomic<bool>& stop,
                   std::thread& control) {
  t_tick = true;
  alloc::arm(&on_tick_thread);
  go = true;
  for (int t = 0; t < 10000; ++t) one_tick();
  alloc::disarm();
  stop = true;
  control.join();
  EXPECT_EQ(alloc::count(), 0u) << "allocations on the tick path";
}

class AllocTest : public ::testing::TestWithParam<int> {};

TEST_P(AllocTest, TickNeverAllocatesWhileControlThreadChangesRooms) {
  if (!alloc::interposed()) GTEST_SKIP() << "the sanitizer runtime owns malloc";
  EngineConfig ec;
  ec.threads = GetParam();
  auto engine = std::move(*Engine::create(ec));
  RoomConfig matrix;
  matrix.routing = RoutingMode::kMatrix;
  matrix.max_participants = 16;
  std::vector<RoomId> rooms = {*engine->create_room(RoomConfig{}),
                               *engine->create_room(RoomConfig{}), *engine->create_room(matrix)};
  std::vector<ParticipantLink> links;
  std::vector<ToneGenerator> tones;
  for (std::size_t i = 0; i < 9; ++i) {
    links.push_back(*engine->add_participant(rooms[i % 3], {}));
    tones.emplace_back(300.0 + 150.0 * static_cast<double>(i), 0.2, ec.sample_rate_hz);
  }
  std::vector<int16_t> pcm(engine->frame_samples());
  auto one_tick = [&] {
    for (std::size_t i = 0; i < links.size(); ++i) {
      tones[i].fill(std::span<int16_t>(pcm));
      links[i].try_push_input(pcm);
    }
    engine->tick();
    for (auto& l : links) l.try_pull_output(pcm);
  };
  for (int t = 0; t < 200; ++t) one_tick();  // warm-up: worker threads start, caches fill

  std::atomic<bool> go{false}, stop{false};
  std::atomic<int> control_ops{0};
  std::thread control([&] {  // created before arming: std::thread allocates its state
    alloc::exempt_this_thread();
    while (!go) std::this_thread::yield();
    std::vector<Event> events(128);
    for (int i = 0; !stop; ++i) {
      auto extra = engine->add_participant(rooms[static_cast<std::size_t>(i) % 3], {});
      if (!extra) continue;
      (void)engine->set_muted(links[static_cast<std::size_t>(i) % links.size()].id(), i % 2 == 0);
      (void)engine->set_gain_in_db(links[static_cast<std::size_t>(i) % links.size()].id(), -3.0f);
      std::this_thread::yield();
      (void)(i % 3 == 0 ? engine->kick(extra->id()) : engine->remove_participant(extra->id()));
      engine->poll_events(events);
      control_ops.fetch_add(1);
    }
  });
  measure_ticks(one_tick, go, stop, control);
  EXPECT_GT(control_ops.load(), 100) << "the control thread must really have run";
  EXPECT_EQ(engine->stats().ticks, 10200u);
}

// A 16 kHz mono WAV of a tone, written by hand (this binary links no audio library).
std::string write_wav(const std::string& path, double freq_hz, int samples) {
  std::vector<int16_t> pcm(static_cast<std::size_t>(samples));
  ToneGenerator(freq_hz, 0.3, 16000).fill(std::span<int16_t>(pcm));
  const uint32_t data = static_cast<uint32_t>(pcm.size() * 2), rate = 16000, byte_rate = 32000;
  const uint32_t riff = 36 + data, fmt_size = 16;
  const uint16_t pcm_format = 1, channels = 1, align = 2, bits = 16;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  std::fwrite("RIFF", 1, 4, f);
  std::fwrite(&riff, 4, 1, f);
  std::fwrite("WAVEfmt ", 1, 8, f);
  for (const void* field : {static_cast<const void*>(&fmt_size)}) std::fwrite(field, 4, 1, f);
  std::fwrite(&pcm_format, 2, 1, f);
  std::fwrite(&channels, 2, 1, f);
  std::fwrite(&rate, 4, 1, f);
  std::fwrite(&byte_rate, 4, 1, f);
  std::fwrite(&align, 2, 1, f);
  std::fwrite(&bits, 2, 1, f);
  std::fwrite("data", 1, 4, f);
  std::fwrite(&data, 4, 1, f);
  std::fwrite(pcm.data(), 2, pcm.size(), f);
  std::fclose(f);
  return path;
}

// The media path too: Opus and G.711 callers (jitter buffers, decoders, resamplers, shared and
// own encodes), denoise and AGC, music on hold, tones, keypad feedback, announcements, prompts,
// hold, group moves and room and participant recording start/stop, all driven from the
// control thread while the tick runs.
TEST_P(AllocTest, MediaPathNeverAllocatesWhileControlThreadModerates) {
  if (!alloc::interposed()) GTEST_SKIP() << "the sanitizer runtime owns malloc";
  char dir_pattern[] = "/tmp/tutti-alloc-XXXXXX";
  const std::string dir = mkdtemp(dir_pattern);
  const std::string music = write_wav(dir + "/moh.wav", 523.0, 16000);
  const std::string prompt = write_wav(dir + "/prompt.wav", 900.0, 4000);
  EngineConfig ec;
  ec.threads = GetParam();
  auto engine = std::move(*Engine::create(ec));
  RoomConfig rc;
  rc.moh_path = music;
  rc.entry_tones = true;
  rc.denoise = true;
  rc.agc = true;
  rc.record = RecordMode::kOnDemand;
  rc.record_dir = dir;
  const RoomId room = *engine->create_room(rc);
  const RoomId quiet_room = *engine->create_room(rc);  // one caller alone: music

  struct Caller {
    ParticipantLink link;
    std::vector<std::vector<uint8_t>> packets;  // encoded before the measurement
    uint32_t clock_step;
  };
  std::vector<Caller> callers;
  const char* codecs_used[] = {"opus", "opus", "PCMU", "G722", "PCMA"};
  for (int i = 0; i < 5; ++i) {
    ParticipantConfig pc;
    pc.media.codec = codecs_used[i];
    Caller c{*engine->add_participant(i == 4 ? quiet_room : room, pc), {}, 0};
    const codecs::CodecInfo* info = codecs::find(pc.media.codec, i < 2 ? 48000 : 8000);
    auto encoder = std::move(codecs::create_encoder(*info).value());
    const auto n = static_cast<std::size_t>(info->sample_rate_hz / 50);
    c.clock_step = static_cast<uint32_t>(info->rtp_clock_rate_hz / 50);
    ToneGenerator tone(300.0 + 200.0 * i, 0.2, info->sample_rate_hz);
    for (int f = 0; f < 50; ++f) {
      std::vector<int16_t> pcm(n);
      tone.fill(std::span<int16_t>(pcm));
      std::vector<uint8_t> payload(1500);
      payload.resize(static_cast<std::size_t>(encoder->encode(pcm, payload)));
      c.packets.push_back(std::move(payload));
    }
    callers.push_back(std::move(c));
  }
  std::vector<uint8_t> out(1500);
  uint64_t tick_no = 0;
  auto one_tick = [&] {
    for (std::size_t i = 0; i < callers.size(); ++i) {
      Caller& c = callers[i];
      RtpInput in;
      in.seq = static_cast<uint16_t>(tick_no);
      in.timestamp = static_cast<uint32_t>(tick_no) * c.clock_step;
      in.ssrc = static_cast<uint32_t>(i + 1);
      in.arrival_ms = static_cast<int64_t>(tick_no) * 20;
      in.payload = c.packets[tick_no % c.packets.size()];
      c.link.try_push_rtp(in);
    }
    engine->tick();
    for (Caller& c : callers) c.link.try_pull_rtp(out);
    ++tick_no;
  };
  for (int t = 0; t < 200; ++t) one_tick();

  std::atomic<bool> go{false}, stop{false};
  std::atomic<int> control_ops{0};
  std::thread control([&] {
    alloc::exempt_this_thread();
    while (!go) std::this_thread::yield();
    std::vector<Event> events(128);
    for (int i = 0; !stop; ++i) {
      ParticipantConfig pc;
      pc.media.codec = i % 2 == 0 ? "opus" : "PCMU";
      auto extra = engine->add_participant(room, pc);
      const ParticipantId target = callers[static_cast<std::size_t>(i) % 4].link.id();
      (void)engine->set_hold(target, i % 4 == 1);
      (void)engine->set_gain_out_db(target, i % 3 == 0 ? -6.0f : 0.0f);
      if (i % 7 == 0) (void)engine->play_to_room(room, prompt);
      if (i % 5 == 0) (void)engine->play_to_participant(target, prompt);
      if (i % 20 == 0) (void)engine->start_recording(room);
      if (i % 20 == 10) (void)engine->stop_recording(room);
      if (i % 6 == 0) (void)engine->play_dtmf_feedback(target, '0' + static_cast<char>(i % 10));
      if (i % 16 == 3) (void)engine->start_participant_recording(target);
      if (i % 16 == 11) (void)engine->stop_participant_recording(target);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      if (extra) (void)engine->remove_participant(extra->id());
      engine->poll_events(events);
      control_ops.fetch_add(1);
    }
  });
  measure_ticks(one_tick, go, stop, control);
  EXPECT_GT(control_ops.load(), 50) << "the control thread must really have run";
  engine.reset();
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(SerialAndTwoThreads, AllocTest, ::testing::Values(0, 2));

}  // namespace
}  // namespace tutti::test
