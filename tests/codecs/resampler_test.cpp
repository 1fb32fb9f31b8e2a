#include <gtest/gtest.h>

#include <vector>

#include "codec_harness.h"
#include "support/signals.h"
#include "tutti/codecs/rt_resampler.h"

namespace tutti::codecs {
namespace {

std::unique_ptr<RtResampler> make(int in_hz, int out_hz,
                                  int quality = RtResampler::kDefaultQuality) {
  auto r = RtResampler::create(in_hz, out_hz, 1, quality);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return std::move(r).value();
}

// Runs `in` through `r` in frames of frame_ms; every call must produce a whole output frame.
std::vector<int16_t> run_frames(RtResampler& r, const std::vector<int16_t>& in, int frame_ms) {
  const size_t in_frame = static_cast<size_t>(r.input_rate_hz() * frame_ms / 1000);
  const size_t out_frame = static_cast<size_t>(r.output_rate_hz() * frame_ms / 1000);
  std::vector<int16_t> out;
  std::vector<int16_t> block(out_frame);
  for (size_t pos = 0; pos + in_frame <= in.size(); pos += in_frame) {
    const int n = r.process(std::span<const int16_t>(in).subspan(pos, in_frame), block);
    EXPECT_EQ(n, static_cast<int>(out_frame));
    out.insert(out.end(), block.begin(), block.end());
  }
  return out;
}

std::vector<int16_t> tone(double freq_hz, int rate_hz, double seconds) {
  std::vector<int16_t> x(static_cast<size_t>(seconds * rate_hz));
  test::ToneGenerator gen(freq_hz, 0.5, rate_hz);
  gen.fill(std::span<int16_t>(x));
  return x;
}

TEST(RtResampler, FixedFramesGiveWholeFramesAtEveryRatePair) {
  const int rates[] = {8000, 16000, 24000, 32000, 48000};
  for (int in_hz : rates) {
    for (int out_hz : rates) {
      for (int frame_ms : {10, 20}) {
        SCOPED_TRACE(std::to_string(in_hz) + " -> " + std::to_string(out_hz) + " @ " +
                     std::to_string(frame_ms) + " ms");
        auto r = make(in_hz, out_hz);
        const auto out = run_frames(*r, tone(440.0, in_hz, 0.2), frame_ms);
        EXPECT_EQ(out.size(), static_cast<size_t>(out_hz / 5));
      }
    }
  }
}

TEST(RtResampler, DownAndUpKeepsAOneKilohertzTone) {
  auto down = make(48000, 8000);
  auto up = make(8000, 48000);
  const auto in = tone(1000.0, 48000, 1.0);
  const auto narrow = run_frames(*down, in, 20);
  const auto back = run_frames(*up, narrow, 20);
  const double in_db = test::tone_level_db(testing::steady(in, 48000), 1000.0, 48000);
  EXPECT_NEAR(test::tone_level_db(testing::steady(narrow, 8000), 1000.0, 8000), in_db, 1.0);
  EXPECT_NEAR(test::tone_level_db(testing::steady(back, 48000), 1000.0, 48000), in_db, 1.0);
}

TEST(RtResampler, DownsamplingToEightKilohertzRemovesASixKilohertzTone) {
  auto down = make(48000, 8000);
  const auto in = tone(6000.0, 48000, 1.0);
  const auto narrow = run_frames(*down, in, 20);
  const double in_db = testing::rms_db(testing::steady(in, 48000));
  // 6 kHz is above the 4 kHz Nyquist limit; anything left would alias to 2 kHz.
  EXPECT_LT(testing::rms_db(testing::steady(narrow, 8000)), in_db - 40.0);
}

TEST(RtResampler, FloatPathMatchesIntPath) {
  auto r_int = make(16000, 48000);
  auto r_float = make(16000, 48000);
  const auto in = tone(1000.0, 16000, 0.02);
  const auto in_f = test::to_float(in);
  std::vector<int16_t> out_i(960);
  std::vector<float> out_f(960);
  ASSERT_EQ(r_int->process(in, out_i), 960);
  ASSERT_EQ(r_float->process(in_f, out_f), 960);
  for (size_t i = 0; i < out_i.size(); ++i) {
    EXPECT_NEAR(out_f[i] * 32768.0f, out_i[i], 2.0f) << i;
  }
}

TEST(RtResampler, TooSmallOutputIsAnError) {
  auto r = make(8000, 48000);
  std::vector<int16_t> in(160), out(959);
  EXPECT_LT(r->process(in, out), 0);
}

TEST(RtResampler, InvalidSetupIsAClearError) {
  auto bad_rate = RtResampler::create(0, 48000);
  ASSERT_FALSE(bad_rate.ok());
  EXPECT_FALSE(bad_rate.status().message().empty());
  EXPECT_FALSE(RtResampler::create(8000, 48000, 3).ok());
  EXPECT_FALSE(RtResampler::create(8000, 48000, 1, 11).ok());
}

}  // namespace
}  // namespace tutti::codecs
