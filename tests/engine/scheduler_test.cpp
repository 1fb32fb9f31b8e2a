// Serial and parallel ticks mix the same samples: rooms share nothing, so the schedule must
// not change a single bit.
#include <gtest/gtest.h>

#include <random>

#include "support/signals.h"
#include "tutti/engine.h"

namespace tutti::test {
namespace {

std::vector<std::vector<int16_t>> run_rooms(int threads, uint32_t seed) {
  EngineConfig ec;
  ec.threads = threads;
  auto engine = std::move(*Engine::create(ec));
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> freq(200.0, 3000.0), amp(0.0, 0.5);
  std::vector<ParticipantLink> links;
  std::vector<ToneGenerator> tones;
  for (int r = 0; r < 40; ++r) {
    RoomId room = *engine->create_room(RoomConfig{});
    for (int p = 0; p < 5; ++p) {
      links.push_back(*engine->add_participant(room, {}));
      tones.emplace_back(freq(rng), amp(rng), ec.sample_rate_hz);
    }
  }
  std::vector<std::vector<int16_t>> heard(links.size());
  std::vector<int16_t> pcm(engine->frame_samples());
  for (int t = 0; t < 50; ++t) {
    for (std::size_t i = 0; i < links.size(); ++i) {
      tones[i].fill(std::span<int16_t>(pcm));
      links[i].try_push_input(pcm);
    }
    engine->tick();
    for (std::size_t i = 0; i < links.size(); ++i) {
      const std::size_t got = links[i].try_pull_output(pcm);
      heard[i].insert(heard[i].end(), pcm.begin(), pcm.begin() + static_cast<long>(got));
    }
  }
  return heard;
}

TEST(SchedulerTest, SerialAndParallelTicksAreBitIdentical) {
  const uint32_t seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  const auto serial = run_rooms(0, seed);
  const auto parallel = run_rooms(2, seed);
  ASSERT_EQ(serial.size(), parallel.size());
  for (std::size_t i = 0; i < serial.size(); ++i) {
    ASSERT_EQ(serial[i].size(), 50 * 960u);
    ASSERT_EQ(serial[i], parallel[i]) << "participant " << i;
  }
}

}  // namespace
}  // namespace tutti::test
