#include "tutti/runner/listen.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <numbers>
#include <vector>

namespace tutti::runner {
namespace {

std::vector<int16_t> tones(std::initializer_list<std::pair<double, double>> hz_db, int rate_hz,
                           double seconds) {
  std::vector<int16_t> pcm(static_cast<std::size_t>(rate_hz * seconds));
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    double v = 0;
    for (auto [hz, db] : hz_db) {
      v += 32767 * std::pow(10, db / 20) * std::sin(2 * std::numbers::pi * hz * i / rate_hz);
    }
    pcm[i] = static_cast<int16_t>(std::lround(v));
  }
  return pcm;
}

TEST(Listen, AnalyseGivesEachCandidatesLevel) {
  const std::vector<int16_t> pcm = tones({{500, -20}, {900, -30}}, 8000, 0.5);
  const std::array<double, 3> candidates = {500, 900, 1300};
  const ToneReport report = analyse(pcm, 8000, candidates);
  ASSERT_EQ(report.tones.size(), 3u);
  EXPECT_NEAR(report.level(500), -20, 0.3);
  EXPECT_NEAR(report.level(900), -30, 0.3);
  EXPECT_LT(report.level(1300), -60);
  EXPECT_EQ(report.loudest().hz, 500);
  EXPECT_NEAR(report.rms_dbfs, rms_dbfs(pcm), 1e-9);
}

TEST(Listen, HearsToneOnlyAboveTheThreshold) {
  const std::vector<int16_t> pcm = tones({{700, -25}}, 16000, 0.3);
  EXPECT_TRUE(hears_tone(pcm, 700, 16000, -30));
  EXPECT_FALSE(hears_tone(pcm, 700, 16000, -20));
  EXPECT_FALSE(hears_tone(pcm, 1100, 16000, -50));
}

TEST(Listen, RmsOfAFullScaleSineIsAboutMinusThree) {
  EXPECT_NEAR(rms_dbfs(tones({{1000, 0}}, 8000, 0.1)), -3.0, 0.1);
  EXPECT_EQ(rms_dbfs(std::vector<int16_t>(800, 0)), -200.0);
  EXPECT_EQ(rms_dbfs(std::vector<int16_t>{}), -200.0);
}

TEST(Listen, SilenceIsBelowTheThreshold) {
  EXPECT_TRUE(is_silent(std::vector<int16_t>(800, 0)));
  EXPECT_TRUE(is_silent(std::vector<int16_t>(800, 3)));  // codec idle noise
  EXPECT_FALSE(is_silent(tones({{300, -40}}, 8000, 0.1)));
}

TEST(Listen, EmptyReportHasNoLoudest) {
  const ToneReport report = analyse(std::vector<int16_t>(100, 0), 8000, {});
  EXPECT_EQ(report.loudest().db, -200);
  EXPECT_EQ(report.level(500), -200);
}

}  // namespace
}  // namespace tutti::runner
