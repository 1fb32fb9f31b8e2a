// Codec callers across threads, as a PBX runs them: the clock ticks on its own thread with
// workers, one network thread pushes RTP for every caller, another pulls their payloads, and a
// control thread holds, re-gains (moving listeners between encode groups), plays prompts and
// starts and stops recording. Under TSan this checks every hand-off of the media path.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "support/signals.h"
#include "tutti/codecs/registry.h"
#include "tutti/engine.h"

namespace tutti::test {
namespace {

TEST(ThreadedMediaTest, RtpThreadsControlAndClockRunTogether) {
  char pattern[] = "/tmp/tutti-threaded-XXXXXX";
  const std::string dir = mkdtemp(pattern);
  EngineConfig ec;
  ec.threads = 2;
  auto engine = std::move(*Engine::create(ec));
  RoomConfig rc;
  rc.record = RecordMode::kOnDemand;
  rc.record_dir = dir;
  rc.entry_tones = true;
  std::vector<RoomId> rooms = {*engine->create_room(rc), *engine->create_room(rc)};
  struct Caller {
    ParticipantLink link;
    std::vector<uint8_t> packet;
    uint32_t clock_step;
  };
  std::vector<Caller> callers;
  const char* names[] = {"opus", "PCMU", "opus", "PCMA", "G722", "opus"};
  for (int i = 0; i < 6; ++i) {
    ParticipantConfig pc;
    pc.media.codec = names[i];
    Caller c{*engine->add_participant(rooms[static_cast<std::size_t>(i) % 2], pc), {}, 0};
    const codecs::CodecInfo* info =
        codecs::find(names[i], std::string_view(names[i]) == "opus" ? 48000 : 8000);
    ASSERT_NE(info, nullptr);
    auto encoder = std::move(codecs::create_encoder(*info).value());
    std::vector<int16_t> pcm(static_cast<std::size_t>(info->sample_rate_hz / 50));
    ToneGenerator(400.0 + 150.0 * i, 0.2, info->sample_rate_hz).fill(std::span<int16_t>(pcm));
    c.packet.resize(1500);
    c.packet.resize(static_cast<std::size_t>(encoder->encode(pcm, c.packet)));
    c.clock_step = static_cast<uint32_t>(info->rtp_clock_rate_hz / 50);
    callers.push_back(std::move(c));
  }
  ASSERT_TRUE(engine->start());

  std::atomic<bool> stop{false};
  std::atomic<uint64_t> payloads{0};
  std::thread sender([&] {
    for (uint32_t n = 0; !stop; ++n) {
      for (std::size_t i = 0; i < callers.size(); ++i) {
        RtpInput in;
        in.seq = static_cast<uint16_t>(n);
        in.timestamp = n * callers[i].clock_step;
        in.ssrc = static_cast<uint32_t>(i + 1);
        in.arrival_ms = static_cast<int64_t>(n) * 20;
        in.payload = callers[i].packet;
        callers[i].link.try_push_rtp(in);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  std::thread receiver([&] {
    std::vector<uint8_t> out(1500);
    while (!stop) {
      for (auto& c : callers) payloads += c.link.try_pull_rtp(out).bytes > 0 ? 1 : 0;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  std::thread control([&] {
    std::vector<Event> events(64);
    for (int i = 0; i < 60; ++i) {
      const ParticipantId p = callers[static_cast<std::size_t>(i) % callers.size()].link.id();
      EXPECT_TRUE(engine->set_hold(p, i % 4 == 1));
      EXPECT_TRUE(engine->set_gain_out_db(p, i % 3 == 0 ? -6.0f : 0.0f));
      if (i % 10 == 0) {
        EXPECT_TRUE(engine->start_recording(rooms[0]));
      }
      if (i % 10 == 5) {
        EXPECT_TRUE(engine->stop_recording(rooms[0]));
      }
      engine->poll_events(events);
      std::this_thread::sleep_for(std::chrono::milliseconds(15));
    }
  });
  control.join();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  stop = true;
  sender.join();
  receiver.join();
  engine->stop();
  EXPECT_GT(payloads.load(), 100u);
  engine.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tutti::test
