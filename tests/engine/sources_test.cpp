// Sources a room mixes in: clips loop seamlessly or end in silence, files are loaded at the
// room's rate or refused with the path, tones hold the right frequencies and never click.
#include "sources.h"

#include <gtest/gtest.h>
#include <sndfile.h>
#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <string>
#include <vector>

#include "tutti/tone_meter.h"

namespace tutti::detail {
namespace {

namespace fs = std::filesystem;

constexpr int kRate = 48000;
constexpr std::size_t kFrame = 960;  // 20 ms at 48 kHz

// A fresh directory under the system temp dir, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "tutti-sources-XXXXXX").string();
    const char* made = mkdtemp(pattern.data());
    EXPECT_NE(made, nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::vector<float> ramp(std::size_t n) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(i + 1) / static_cast<float>(n);
  return x;
}

std::shared_ptr<const AudioClip> clip_of(std::vector<float> samples) {
  auto clip = make_clip(std::move(samples), kRate);
  EXPECT_TRUE(clip) << clip.status().to_string();
  return clip ? *clip : nullptr;
}

// Plays `frames` frames of `frame` samples from fill into one vector.
template <typename Source>
std::vector<float> play(Source& source, std::size_t frames, std::size_t frame) {
  std::vector<float> out(frames * frame, 123.0f);  // fill() must overwrite every sample
  for (std::size_t f = 0; f < frames; ++f) source.fill(out.data() + f * frame, frame);
  return out;
}

float max_step(const std::vector<float>& x) {
  float step = 0.0f;
  for (std::size_t i = 1; i < x.size(); ++i) step = std::max(step, std::fabs(x[i] - x[i - 1]));
  return step;
}

TEST(ClipPlayer, LoopedClipIsSeamlessAcrossFrames) {
  const std::vector<float> samples = ramp(1234);  // not a multiple of the frame
  auto clip = clip_of(samples);
  ClipPlayer player(clip.get(), ClipMode::kLoop, 0.5f);
  const std::vector<float> out = play(player, 10, kFrame);
  for (std::size_t i = 0; i < out.size(); ++i) {
    ASSERT_EQ(out[i], 0.5f * samples[i % samples.size()]) << "sample " << i;
  }
  EXPECT_FALSE(player.finished());
}

TEST(ClipPlayer, LoopedClipShorterThanAFrameWrapsSeveralTimesInOneFill) {
  const std::vector<float> samples = ramp(7);
  auto clip = clip_of(samples);
  ClipPlayer player(clip.get(), ClipMode::kLoop);
  const std::vector<float> out = play(player, 3, 480);
  for (std::size_t i = 0; i < out.size(); ++i) ASSERT_EQ(out[i], samples[i % 7]) << i;
}

TEST(ClipPlayer, OneShotClipEndsWithSilenceAndReportsFinished) {
  const std::vector<float> samples = ramp(1500);
  auto clip = clip_of(samples);
  ClipPlayer player(clip.get(), ClipMode::kOneShot);
  std::vector<float> frame(kFrame);
  player.fill(frame.data(), kFrame);
  EXPECT_FALSE(player.finished());
  player.fill(frame.data(), kFrame);  // ends 540 samples in
  EXPECT_TRUE(player.finished());
  for (std::size_t i = 0; i < kFrame; ++i) {
    ASSERT_EQ(frame[i], i < 540 ? samples[kFrame + i] : 0.0f) << i;
  }
  const std::vector<float> after = play(player, 3, kFrame);
  EXPECT_TRUE(std::all_of(after.begin(), after.end(), [](float x) { return x == 0.0f; }));

  player.restart();
  EXPECT_FALSE(player.finished());
  player.fill(frame.data(), kFrame);
  EXPECT_EQ(frame[0], samples[0]);
}

TEST(ClipPlayer, MissingOrEmptyClipPlaysSilenceAndIsFinished) {
  ClipPlayer none;
  auto empty = clip_of({});
  ClipPlayer looped_empty(empty.get(), ClipMode::kLoop);
  for (ClipPlayer* player : {&none, &looped_empty}) {
    const std::vector<float> out = play(*player, 2, kFrame);
    EXPECT_TRUE(std::all_of(out.begin(), out.end(), [](float x) { return x == 0.0f; }));
    EXPECT_TRUE(player->finished());
  }
}

TEST(AudioClip, ClipLongerThanTheLimitIsRefused) {
  const std::size_t limit = static_cast<std::size_t>(kMaxClipSeconds) * 8000;
  EXPECT_TRUE(make_clip(std::vector<float>(limit), 8000));
  auto refused = make_clip(std::vector<float>(limit + 8000), 8000);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("limited to 600 s"), std::string::npos)
      << refused.status().message();
}

TEST(AudioClip, MissingOrCorruptFileIsRefusedWithThePath) {
  TempDir dir;
  const std::string missing = (dir.path() / "no-such-prompt.wav").string();
  auto not_found = load_clip(missing, kRate);
  ASSERT_FALSE(not_found);
  EXPECT_EQ(not_found.status().code(), StatusCode::kNotFound) << not_found.status().to_string();
  EXPECT_NE(not_found.status().message().find(missing), std::string::npos);

  const std::string garbage = (dir.path() / "moh.wav").string();
  {
    std::ofstream file(garbage, std::ios::binary);
    file << "RIFF\x10\x00\x00\x00WAVEthis is not audio at all, just some bytes";
  }
  auto corrupt = load_clip(garbage, kRate);
  ASSERT_FALSE(corrupt);
  EXPECT_NE(corrupt.status().message().find(garbage), std::string::npos)
      << corrupt.status().message();
}

TEST(AudioClip, LoadedWavIsResampledToTheRoomRate) {
  TempDir dir;
  const std::string path = (dir.path() / "prompt-16k.wav").string();
  constexpr int kFileRate = 16000;
  constexpr std::size_t kFileSamples = 16000;  // 1 s
  constexpr double kToneHz = 1000.0;
  {
    SF_INFO info{};
    info.samplerate = kFileRate;
    info.channels = 1;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
    ASSERT_NE(file, nullptr) << sf_strerror(nullptr);
    std::vector<float> tone(kFileSamples);
    for (std::size_t i = 0; i < tone.size(); ++i) {
      tone[i] = 0.5f * static_cast<float>(std::sin(2.0 * std::numbers::pi * kToneHz *
                                                   static_cast<double>(i) / kFileRate));
    }
    ASSERT_EQ(sf_writef_float(file, tone.data(), static_cast<sf_count_t>(tone.size())),
              static_cast<sf_count_t>(tone.size()));
    sf_close(file);
  }
  auto clip = load_clip(path, kRate);
  ASSERT_TRUE(clip) << clip.status().to_string();
  const AudioClip& loaded = **clip;
  EXPECT_EQ(loaded.sample_rate_hz(), kRate);
  EXPECT_NEAR(static_cast<double>(loaded.size()), 3.0 * kFileSamples, 3.0);
  // The middle half, away from the resampler's edges: the tone at -6 dB, nothing at 3 kHz.
  const auto middle = loaded.samples().subspan(loaded.size() / 4, loaded.size() / 2);
  EXPECT_NEAR(tone_level_db(middle, kToneHz, kRate), -6.0, 0.5);
  EXPECT_LT(tone_level_db(middle, 3000.0, kRate), -60.0);
}

TEST(ToneSource, DtmfFeedbackHasBothFrequencies) {
  constexpr float kRowHz[] = {697.0f, 770.0f, 852.0f, 941.0f};
  constexpr float kColumnHz[] = {1209.0f, 1336.0f, 1477.0f, 1633.0f};
  const char keys[4][5] = {"123A", "456B", "789C", "*0#D"};
  for (int row = 0; row < 4; ++row) {
    for (int column = 0; column < 4; ++column) {
      const char digit = keys[row][column];
      SCOPED_TRACE(std::string("digit ") + digit);
      auto tone = ToneSource::dtmf(digit, 100, -10.0f, kRate);
      ASSERT_TRUE(tone) << tone.status().to_string();
      std::vector<float> out = play(*tone, 6, kFrame);  // 120 ms: tone then silence
      EXPECT_TRUE(tone->finished());
      EXPECT_TRUE(std::all_of(out.begin() + 4800, out.end(), [](float x) { return x == 0.0f; }));
      // Steady part, past the 5 ms fades.
      const std::span<const float> steady(out.data() + 480, 3840);
      for (float hz : kRowHz) {
        const double level = tone_level_db(steady, hz, kRate);
        if (hz == kRowHz[row]) {
          EXPECT_NEAR(level, -10.0, 0.5) << hz;
        } else {
          EXPECT_LT(level, -50.0) << hz;
        }
      }
      for (float hz : kColumnHz) {
        const double level = tone_level_db(steady, hz, kRate);
        if (hz == kColumnHz[column]) {
          EXPECT_NEAR(level, -10.0, 0.5) << hz;
        } else {
          EXPECT_LT(level, -50.0) << hz;
        }
      }
    }
  }
}

TEST(ToneSource, InvalidDigitIsRefused) {
  for (char digit : {'E', 'x', ' ', '\0', '+', 'e'}) {
    auto tone = ToneSource::dtmf(digit, 100, -10.0f, kRate);
    ASSERT_FALSE(tone) << "digit code " << static_cast<int>(digit);
    EXPECT_EQ(tone.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(tone.status().message().find("DTMF"), std::string::npos);
  }
  EXPECT_TRUE(ToneSource::dtmf('a', 100, -10.0f, kRate));  // lower case A-D accepted
}

TEST(ToneSource, BadSequencesAreRefused) {
  const ToneSegment fine{1000.0f, 0.0f, 100, -10.0f, 0};
  const ToneSegment five[] = {fine, fine, fine, fine, fine};
  EXPECT_FALSE(ToneSource::create({five, 5}, false, kRate));
  EXPECT_FALSE(ToneSource::create({five, 0}, false, kRate));
  EXPECT_TRUE(ToneSource::create({five, 4}, false, kRate));
  const ToneSegment above_nyquist{5000.0f, 0.0f, 100, -10.0f, 0};
  EXPECT_FALSE(ToneSource::create({&above_nyquist, 1}, false, 8000));
  const ToneSegment no_duration{1000.0f, 0.0f, 0, -10.0f, 0};
  EXPECT_FALSE(ToneSource::create({&no_duration, 1}, false, kRate));
  EXPECT_FALSE(ToneSource::create({&fine, 1}, false, 1000));
}

TEST(ToneSource, ToneIsContinuousAcrossOddFrames) {
  const ToneSegment segments[] = {{1111.0f, 1777.0f, 73, -6.0f, 11}, {523.0f, 0.0f, 41, -3.0f, 0}};
  auto whole = ToneSource::create(segments, true, kRate);
  auto framed = ToneSource::create(segments, true, kRate);
  ASSERT_TRUE(whole && framed);
  const std::vector<float> expected = play(*whole, 1, 7 * 1013);
  const std::vector<float> got = play(*framed, 7, 1013);
  for (std::size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], expected[i]) << i;
  EXPECT_FALSE(framed->finished());  // repeats forever
}

TEST(ToneSource, ToneHasNoClicksAtSegmentEdges) {
  // Durations that stop mid-cycle: without fades the last sample before a gap jumps to zero.
  const ToneSegment segments[] = {
      {1111.0f, 0.0f, 53, 0.0f, 17}, {1111.0f, 0.0f, 37, 0.0f, 0}, {1111.0f, 0.0f, 29, 0.0f, 9}};
  auto tone = ToneSource::create(segments, true, kRate);
  ASSERT_TRUE(tone);
  const std::vector<float> out = play(*tone, 20, 480);
  // A full-scale 1111 Hz sine moves at most 2*pi*1111/48000 = 0.145 per sample.
  const float sine_step = static_cast<float>(2.0 * std::numbers::pi * 1111.0 / kRate);
  EXPECT_LE(max_step(out), sine_step * 1.05f);
  // Back-to-back segments 1 -> 2 (no gap): both ends fade to ~0 at the joint.
  const std::size_t joint = (53 + 17 + 37) * 48;
  EXPECT_LT(std::fabs(out[joint - 1]), 0.01f);
  EXPECT_LT(std::fabs(out[joint]), 0.01f);
}

TEST(ToneSource, JoinAndLeaveBeepsAreShortAndEnd) {
  ToneSource join = ToneSource::join_beep(kRate);
  ToneSource leave = ToneSource::leave_beep(kRate);
  for (ToneSource* beep : {&join, &leave}) {
    EXPECT_FALSE(beep->finished());
    const std::vector<float> out = play(*beep, 20, kFrame);  // 400 ms
    EXPECT_TRUE(beep->finished());
    EXPECT_GT(*std::max_element(out.begin(), out.end()), 0.1f);
    EXPECT_LE(max_step(out), 0.2f);
    beep->restart();
    EXPECT_FALSE(beep->finished());
  }
  // The leave beep falls: its first tone is higher than its second.
  leave.restart();
  const std::vector<float> out = play(leave, 15, kFrame);
  const std::span<const float> first(out.data() + 480, 4000);
  const std::span<const float> second(out.data() + (110 + 40) * 48 + 480, 6000);
  EXPECT_GT(tone_level_db(first, 1000.0, kRate), -20.0);
  EXPECT_GT(tone_level_db(second, 700.0, kRate), -20.0);
  EXPECT_LT(tone_level_db(second, 1000.0, kRate), -50.0);
}

TEST(ToneSource, EmptySourceIsSilentAndFinished) {
  ToneSource empty;
  EXPECT_TRUE(empty.finished());
  const std::vector<float> out = play(empty, 2, kFrame);
  EXPECT_TRUE(std::all_of(out.begin(), out.end(), [](float x) { return x == 0.0f; }));
}

}  // namespace
}  // namespace tutti::detail
