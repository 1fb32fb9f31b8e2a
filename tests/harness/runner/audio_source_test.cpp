#include "tutti/runner/audio_source.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numbers>
#include <vector>

#include "tutti/runner/listen.h"

namespace tutti::runner {
namespace {

std::vector<int16_t> generate(const AudioSourceSpec& spec, int rate_hz, double seconds) {
  auto source = create_audio_source(spec, rate_hz);
  EXPECT_TRUE(source.is_ok()) << source.status().to_string();
  std::vector<int16_t> pcm(static_cast<std::size_t>(rate_hz * seconds));
  // In 20 ms frames, as the media thread asks for them.
  const std::size_t frame = static_cast<std::size_t>(rate_hz / 50);
  for (std::size_t i = 0; i < pcm.size(); i += frame) {
    source.value()->fill(std::span<int16_t>(pcm).subspan(i, std::min(frame, pcm.size() - i)));
  }
  return pcm;
}

TEST(AudioSource, ToneReadsBackAtItsLevelAtEveryCodecRate) {
  for (int rate_hz : {8000, 16000, 48000}) {
    const std::vector<int16_t> pcm = generate(AudioSourceSpec::tone(500, -20), rate_hz, 0.5);
    EXPECT_NEAR(tone_db(pcm, 500, rate_hz), -20.0, 0.2) << rate_hz;
    EXPECT_LT(tone_db(pcm, 800, rate_hz), -60.0) << rate_hz;
  }
}

TEST(AudioSource, SilenceIsAllZero) {
  const std::vector<int16_t> pcm = generate(AudioSourceSpec::silence(), 8000, 0.2);
  EXPECT_TRUE(std::all_of(pcm.begin(), pcm.end(), [](int16_t s) { return s == 0; }));
}

TEST(AudioSource, ToneAtOrAboveNyquistIsRefused) {
  auto source = create_audio_source(AudioSourceSpec::tone(4000, -20), 8000);
  ASSERT_FALSE(source.is_ok());
  EXPECT_EQ(source.status().code(), StatusCode::kInvalidArgument);
}

TEST(AudioSource, MissingFileIsAnErrorNamingIt) {
  auto source = create_audio_source(AudioSourceSpec::file("/nonexistent/talker.wav"), 8000);
  ASSERT_FALSE(source.is_ok());
  EXPECT_NE(source.status().message().find("talker.wav"), std::string::npos);
}

TEST(AudioSource, WavFileIsResampledToTheCodecRateAndLoops) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / "tutti_runner_source_test.wav";
  SF_INFO info{};
  info.samplerate = 44100;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(file, nullptr);
  std::vector<short> samples(44100 / 4);  // 250 ms of 700 Hz at -12 dBFS
  for (std::size_t i = 0; i < samples.size(); ++i) {
    samples[i] = static_cast<short>(
        std::lround(0.25 * 32767 * std::sin(2 * std::numbers::pi * 700 * i / 44100.0)));
  }
  sf_write_short(file, samples.data(), static_cast<sf_count_t>(samples.size()));
  sf_close(file);

  const std::vector<int16_t> pcm = generate(AudioSourceSpec::file(path.string()), 8000, 0.8);
  std::filesystem::remove(path);
  // The third repetition still holds the tone.
  const std::span<const int16_t> third = std::span<const int16_t>(pcm).subspan(4200, 1600);
  EXPECT_NEAR(tone_db(third, 700, 8000), -12.0, 1.0);
}

// RMS of consecutive 100 ms windows, in dB.
std::vector<double> window_levels(const std::vector<int16_t>& pcm, int rate_hz) {
  std::vector<double> levels;
  const std::size_t window = static_cast<std::size_t>(rate_hz / 10);
  for (std::size_t i = 0; i + window <= pcm.size(); i += window) {
    levels.push_back(rms_dbfs(std::span<const int16_t>(pcm).subspan(i, window)));
  }
  return levels;
}

TEST(AudioSource, NoiseRisesAndFallsLikeSpeech) {
  for (uint32_t seed : {1u, 7u, 12345u}) {
    const std::vector<int16_t> pcm = generate(AudioSourceSpec::noise(-20, seed), 8000, 4.0);
    std::vector<double> levels = window_levels(pcm, 8000);
    std::sort(levels.begin(), levels.end());
    const double quiet = levels[levels.size() / 10];
    const double loud = levels[levels.size() * 9 / 10];
    EXPECT_GT(loud - quiet, 10.0) << "seed " << seed;
    EXPECT_NEAR(loud, -22.0, 6.0) << "seed " << seed;
  }
}

TEST(AudioSource, NoiseHasNoToneStandingOut) {
  const std::vector<int16_t> pcm = generate(AudioSourceSpec::noise(-20, 3), 16000, 2.0);
  std::vector<double> candidates;
  for (double hz = 100; hz < 7000; hz += 97) candidates.push_back(hz);
  const ToneReport report = analyse(pcm, 16000, candidates);
  // A tone's energy sits in one bin (tone_db ~ rms + 3 dB); noise spreads over thousands.
  EXPECT_LT(report.loudest().db, report.rms_dbfs - 15.0) << "at " << report.loudest().hz << " Hz";
}

TEST(AudioSource, SameSeedSameNoise) {
  EXPECT_EQ(generate(AudioSourceSpec::noise(-20, 9), 8000, 0.3),
            generate(AudioSourceSpec::noise(-20, 9), 8000, 0.3));
  EXPECT_NE(generate(AudioSourceSpec::noise(-20, 9), 8000, 0.3),
            generate(AudioSourceSpec::noise(-20, 10), 8000, 0.3));
}

}  // namespace
}  // namespace tutti::runner
