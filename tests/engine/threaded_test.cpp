// The engine as a PBX drives it: the clock ticks on its own thread with workers, one network
// thread feeds every link, another drains them, and a control thread keeps changing the rooms.
// Under TSan this is the test that finds a missing happens-before.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "support/signals.h"
#include "tutti/engine.h"

namespace tutti::test {
namespace {

TEST(ThreadedTest, NetworkControlAndClockThreadsRunTogether) {
  EngineConfig ec;
  ec.threads = 2;
  ec.tick_ms = 10;
  auto engine = std::move(*Engine::create(ec));
  std::vector<RoomId> rooms;
  std::vector<ParticipantLink> links;
  for (int r = 0; r < 4; ++r) {
    rooms.push_back(*engine->create_room(RoomConfig{}));
    for (int p = 0; p < 4; ++p) links.push_back(*engine->add_participant(rooms.back(), {}));
  }
  ASSERT_TRUE(engine->start());

  std::atomic<bool> stop{false};
  std::atomic<uint64_t> frames_out{0};
  std::thread sender([&] {
    ToneGenerator tone(440.0, 0.3, ec.sample_rate_hz);
    std::vector<int16_t> pcm(engine->frame_samples());
    while (!stop) {
      for (auto& l : links) {
        tone.fill(std::span<int16_t>(pcm));
        l.try_push_input(pcm);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  std::thread receiver([&] {
    std::vector<int16_t> pcm(engine->frame_samples());
    while (!stop) {
      for (auto& l : links) frames_out += l.try_pull_output(pcm) > 0 ? 1 : 0;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  std::thread control([&] {
    std::vector<Event> events(64);
    for (int i = 0; i < 100; ++i) {
      const ParticipantId p = links[static_cast<std::size_t>(i) % links.size()].id();
      EXPECT_TRUE(engine->set_muted(p, i % 2 == 0));
      EXPECT_TRUE(engine->set_gain_out_db(p, static_cast<float>(-(i % 10))));
      auto extra = engine->add_participant(rooms[static_cast<std::size_t>(i) % rooms.size()], {});
      EXPECT_TRUE(extra);
      engine->poll_events(events);
      std::this_thread::sleep_for(std::chrono::milliseconds(3));
      EXPECT_TRUE(engine->remove_participant(extra->id()));
    }
  });
  control.join();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  stop = true;
  sender.join();
  receiver.join();
  engine->stop();
  EXPECT_GT(engine->stats().ticks, 10u);
  EXPECT_GT(frames_out.load(), 100u);
  EXPECT_EQ(engine->stats().participants, links.size());
}

}  // namespace
}  // namespace tutti::test
