// The mix as a listener hears it: mix-minus, silence, limiting, gain ramps, mute and deaf.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <tuple>

#include "conference.h"

namespace tutti::test {
namespace {

constexpr double kTones[] = {440.0, 700.0, 1100.0, 1700.0, 2300.0};

struct Format {
  int rate_hz;
  int tick_ms;
};

class MixMinusTest : public ::testing::TestWithParam<std::tuple<Format, int>> {};

// Each of N participants sends its own tone; each output holds every other tone, and its own
// more than 60 dB below them.
TEST_P(MixMinusTest, SelfIsAbsentFromOwnMix) {
  const auto [format, n] = GetParam();
  EngineConfig ec;
  ec.sample_rate_hz = format.rate_hz;
  ec.tick_ms = format.tick_ms;
  RoomConfig rc;
  rc.max_speakers = n;
  std::vector<Voice> voices;
  for (int i = 0; i < n; ++i) voices.push_back({kTones[i], 0.2});
  Conference conf(ec, rc, voices);
  conf.run(30);
  const std::size_t window = static_cast<std::size_t>(format.rate_hz / 10);  // last 100 ms
  for (int i = 0; i < n; ++i) {
    const auto heard = conf.tail(static_cast<std::size_t>(i), window);
    const double own = tone_level_db(heard, kTones[i], format.rate_hz);
    for (int j = 0; j < n; ++j) {
      if (j == i) continue;
      const double other = tone_level_db(heard, kTones[j], format.rate_hz);
      EXPECT_NEAR(other, 20.0 * std::log10(0.2), 1.0) << "participant " << i << " hears " << j;
      EXPECT_LT(own, other - 60.0) << "participant " << i << " hears itself";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(RatesAndSizes, MixMinusTest,
                         ::testing::Combine(::testing::Values(Format{8000, 20}, Format{16000, 10},
                                                              Format{48000, 20}, Format{48000, 10}),
                                            ::testing::Values(2, 3, 5)));

TEST(MixTest, SilenceInGivesExactSilenceOut) {
  Conference conf({}, {}, {{0.0}, {0.0}, {0.0}});
  conf.run(50);
  for (std::size_t i = 0; i < conf.size(); ++i) {
    ASSERT_EQ(conf.heard(i).size(), 50 * conf.frame());
    EXPECT_TRUE(
        std::all_of(conf.heard(i).begin(), conf.heard(i).end(), [](int16_t s) { return s == 0; }));
  }
}

// After its first frame (a ramp into the mix), a lone talker's samples reach every listener
// bit for bit: no gain, no limiting, no dither below the knee.
TEST(MixTest, SingleTalkerReachesOthersUnchanged) {
  Conference conf({}, {}, {{1000.0, 0.5}, {0.0}, {0.0}});
  ToneGenerator reference(1000.0, 0.5, conf.rate());
  std::vector<int16_t> sent(10 * conf.frame());
  reference.fill(std::span<int16_t>(sent));
  conf.run(10);
  for (std::size_t listener : {1u, 2u}) {
    const auto& heard = conf.heard(listener);
    ASSERT_EQ(heard.size(), sent.size());
    EXPECT_TRUE(std::equal(heard.begin() + static_cast<long>(conf.frame()), heard.end(),
                           sent.begin() + static_cast<long>(conf.frame())));
  }
}

// Three near-full-scale talkers sum to ~2.7: a listener hears a limited mix that keeps the
// waveform's sign and never wraps around.
TEST(MixTest, LoudSumIsLimitedNeverWrapped) {
  Conference conf({}, {}, {{500.0, 0.9}, {500.0, 0.9}, {500.0, 0.9}, {0.0}});
  conf.run(20);
  const auto& heard = conf.heard(3);
  const auto [lo, hi] = std::minmax_element(heard.begin(), heard.end());
  EXPECT_GT(*hi, 30000);
  EXPECT_LT(*lo, -30000);
  // No wrap: consecutive samples of a 500 Hz tone at 48 kHz never jump by more than ~4000.
  for (std::size_t i = 1; i < heard.size(); ++i) {
    ASSERT_LT(std::abs(heard[i] - heard[i - 1]), 6000) << "at sample " << i;
  }
}

TEST(MixTest, GainChangeRampsWithoutStep) {
  Conference conf({}, {}, {{200.0, 0.5}, {0.0}});
  conf.run(5);
  ASSERT_TRUE(conf.engine().set_gain_in_db(conf.link(0).id(), -20.0f));
  conf.clear_heard();
  conf.run(5);
  const auto& heard = conf.heard(1);
  // A 200 Hz tone at 0.5 moves by at most ~430 per sample at 48 kHz; a step to -20 dB would jump.
  for (std::size_t i = 1; i < heard.size(); ++i) {
    ASSERT_LT(std::abs(heard[i] - heard[i - 1]), 500) << "at sample " << i;
  }
  const double before = tone_level_db(std::span(heard).subspan(0, 256), 200.0, conf.rate());
  const double after = tone_level_db(conf.tail(1, conf.frame()), 200.0, conf.rate());
  EXPECT_NEAR(after, 20.0 * std::log10(0.5) - 20.0, 1.0);
  EXPECT_GT(before, after + 10.0);
}

TEST(MixTest, MutedParticipantIsNotHeardAndUnmuteRestoresIt) {
  Conference conf({}, {}, {{440.0}, {700.0}, {0.0}});
  ASSERT_TRUE(conf.engine().set_muted(conf.link(0).id(), true));
  conf.run(10);
  EXPECT_LT(tone_level_db(conf.tail(2, conf.frame() * 4), 440.0, conf.rate()), -90.0);
  EXPECT_GT(tone_level_db(conf.tail(2, conf.frame() * 4), 700.0, conf.rate()), -14.0);
  ASSERT_TRUE(conf.engine().set_muted(conf.link(0).id(), false));
  conf.run(5);
  EXPECT_GT(tone_level_db(conf.tail(2, conf.frame() * 2), 440.0, conf.rate()), -14.0);
}

TEST(MixTest, DeafParticipantHearsSilenceButIsHeard) {
  Conference conf({}, {}, {{440.0}, {0.0}});
  ASSERT_TRUE(conf.engine().set_deaf(conf.link(1).id(), true));
  ASSERT_TRUE(conf.engine().set_deaf(conf.link(0).id(), true));
  conf.run(10);
  EXPECT_TRUE(
      std::all_of(conf.heard(0).begin(), conf.heard(0).end(), [](int16_t s) { return s == 0; }));
  EXPECT_TRUE(
      std::all_of(conf.heard(1).begin(), conf.heard(1).end(), [](int16_t s) { return s == 0; }));
  ASSERT_TRUE(conf.engine().set_deaf(conf.link(1).id(), false));
  conf.run(5);
  EXPECT_GT(tone_level_db(conf.tail(1, conf.frame() * 2), 440.0, conf.rate()), -14.0);
}

TEST(MixTest, OnlyTheLoudestSpeakersUpToTheCapAreMixed) {
  RoomConfig rc;
  rc.max_speakers = 2;
  Conference conf({}, rc, {{440.0, 0.05}, {700.0, 0.3}, {1100.0, 0.2}, {0.0}});
  conf.run(20);
  const auto heard = conf.tail(3, conf.frame() * 4);
  EXPECT_LT(tone_level_db(heard, 440.0, conf.rate()), -80.0);
  EXPECT_NEAR(tone_level_db(heard, 700.0, conf.rate()), 20.0 * std::log10(0.3), 1.0);
  EXPECT_NEAR(tone_level_db(heard, 1100.0, conf.rate()), 20.0 * std::log10(0.2), 1.0);
}

TEST(MixTest, OutputGainAppliesOnlyToThatListener) {
  Conference conf({}, {}, {{440.0, 0.2}, {0.0}, {0.0}});
  ASSERT_TRUE(conf.engine().set_gain_out_db(conf.link(1).id(), -12.0f));
  conf.run(10);
  const double quiet = tone_level_db(conf.tail(1, conf.frame() * 2), 440.0, conf.rate());
  const double normal = tone_level_db(conf.tail(2, conf.frame() * 2), 440.0, conf.rate());
  EXPECT_NEAR(normal - quiet, 12.0, 0.5);
}

}  // namespace
}  // namespace tutti::test
