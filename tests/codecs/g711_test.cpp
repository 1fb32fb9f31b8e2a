#include "tutti/codecs/g711.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

#include "codec_harness.h"
#include "support/signals.h"

namespace tutti::codecs {
namespace {

// Width of the quantization interval a G.711 code stands for, in 16-bit units.
int ulaw_step(uint8_t code) { return 8 << (((~code) >> 4) & 7); }
int alaw_step(uint8_t code) {
  const int seg = ((code ^ 0x55) >> 4) & 7;
  return seg == 0 ? 16 : 16 << (seg - 1);
}

TEST(G711, ReferenceValuesMatchItuTables) {
  EXPECT_EQ(linear_to_ulaw(0), 0xFF);
  EXPECT_EQ(linear_to_alaw(0), 0xD5);
  EXPECT_EQ(ulaw_to_linear(0xFF), 0);
  EXPECT_EQ(ulaw_to_linear(0x7F), 0);
  EXPECT_EQ(alaw_to_linear(0xD5), 8);
  EXPECT_EQ(alaw_to_linear(0x55), -8);
  EXPECT_EQ(ulaw_to_linear(0x80), 32124);
  EXPECT_EQ(ulaw_to_linear(0x00), -32124);
  EXPECT_EQ(alaw_to_linear(0xAA), 32256);
  EXPECT_EQ(alaw_to_linear(0x2A), -32256);
  EXPECT_EQ(linear_to_ulaw(32767), 0x80);
  EXPECT_EQ(linear_to_ulaw(-32768), 0x00);
  EXPECT_EQ(linear_to_alaw(32767), 0xAA);
  EXPECT_EQ(linear_to_alaw(-32768), 0x2A);
}

TEST(G711, EveryCodeDecodesAndReencodesToItself) {
  for (int code = 0; code < 256; ++code) {
    const auto c = static_cast<uint8_t>(code);
    // µ-law has two zeros (0x7F and 0xFF); both decode to 0, which encodes as 0xFF.
    if (c != 0x7F) {
      EXPECT_EQ(linear_to_ulaw(ulaw_to_linear(c)), c) << "µ-law code " << code;
    }
    EXPECT_EQ(linear_to_alaw(alaw_to_linear(c)), c) << "A-law code " << code;
  }
}

TEST(G711, MuLawRoundTripOfEverySampleStaysWithinQuantizationStep) {
  for (int x = -32768; x <= 32767; ++x) {
    const uint8_t code = linear_to_ulaw(static_cast<int16_t>(x));
    const int y = ulaw_to_linear(code);
    if (std::abs(x) > 32124) {  // beyond the top decision level: clipped to the top code
      ASSERT_EQ(std::abs(y), 32124) << "x=" << x;
      continue;
    }
    // Reconstruction is mid-interval; the 2 dropped low bits add up to 3 more.
    ASSERT_LE(std::abs(x - y), ulaw_step(code) / 2 + 3) << "x=" << x << " y=" << y;
  }
}

TEST(G711, ALawRoundTripOfEverySampleStaysWithinQuantizationStep) {
  for (int x = -32768; x <= 32767; ++x) {
    const uint8_t code = linear_to_alaw(static_cast<int16_t>(x));
    const int y = alaw_to_linear(code);
    if (std::abs(x) > 32256) {
      ASSERT_EQ(std::abs(y), 32256) << "x=" << x;
      continue;
    }
    ASSERT_LE(std::abs(x - y), alaw_step(code) / 2) << "x=" << x << " y=" << y;
  }
}

TEST(G711, BlockCodingRefusesTooSmallOutput) {
  std::vector<int16_t> pcm(160);
  std::vector<uint8_t> out(159);
  EXPECT_LT(encode_g711(G711Law::kMuLaw, pcm, out), 0);
}

class G711Tone : public ::testing::TestWithParam<G711Law> {};

TEST_P(G711Tone, OneKilohertzToneComesBackAtSameLevel) {
  G711Encoder encoder(GetParam());
  G711Decoder decoder(GetParam(), 60);
  const auto run = testing::run_tone(encoder, decoder, 1000.0, 0.5, 20, 1.0);
  ASSERT_TRUE(run.all_ok);
  EXPECT_EQ(run.payload_bytes.front(), 160);
  const double in_db = test::tone_level_db(std::span<const int16_t>(run.input), 1000.0, 8000);
  const double out_db = test::tone_level_db(std::span<const int16_t>(run.output), 1000.0, 8000);
  EXPECT_NEAR(out_db, in_db, 0.5);
  // Quantization noise stays far below the tone (G.711 SNR is ~38 dB).
  EXPECT_LT(test::tone_level_db(std::span<const int16_t>(run.output), 2300.0, 8000), in_db - 40);
}

TEST_P(G711Tone, LostFramesRepeatWithFadeThenSilence) {
  G711Encoder encoder(GetParam());
  G711Decoder decoder(GetParam(), 60);
  const auto run = testing::run_tone(encoder, decoder, 1000.0, 0.5, 20, 0.2);
  ASSERT_TRUE(run.all_ok);
  const double good_db = testing::rms_db(std::span<const int16_t>(run.output).last(160));

  std::vector<double> lost_db;
  for (int f = 0; f < 5; ++f) {
    std::vector<int16_t> pcm(160, 1234);
    ASSERT_EQ(decoder.conceal(pcm), 160);
    lost_db.push_back(testing::rms_db(pcm));
    if (f == 3) {
      for (int16_t s : pcm) ASSERT_EQ(s, 0);
    }
  }
  EXPECT_GT(lost_db[0], good_db - 4.0);  // starts near full level
  EXPECT_LT(lost_db[0], good_db);
  EXPECT_LT(lost_db[1], lost_db[0] - 2.0);
  EXPECT_LT(lost_db[2], lost_db[1] - 3.0);
  EXPECT_EQ(lost_db[3], -200.0);  // 60 ms fade is over: silence
  EXPECT_EQ(lost_db[4], -200.0);

  // A good frame ends the fade: the next loss starts again at full level.
  std::vector<uint8_t> payload(160);
  std::vector<int16_t> tone(160);
  test::ToneGenerator gen(1000.0, 0.5, 8000);
  gen.fill(std::span<int16_t>(tone));
  ASSERT_EQ(encoder.encode(tone, payload), 160);
  std::vector<int16_t> pcm(160);
  ASSERT_EQ(decoder.decode(payload, pcm), 160);
  ASSERT_EQ(decoder.conceal(pcm), 160);
  EXPECT_GT(testing::rms_db(pcm), good_db - 4.0);
}

TEST(G711, ConcealmentWithoutHistoryIsSilence) {
  G711Decoder decoder(G711Law::kALaw, 60);
  std::vector<int16_t> pcm(160, 99);
  EXPECT_EQ(decoder.conceal(pcm), 160);
  for (int16_t s : pcm) EXPECT_EQ(s, 0);
}

INSTANTIATE_TEST_SUITE_P(BothLaws, G711Tone, ::testing::Values(G711Law::kMuLaw, G711Law::kALaw),
                         [](const auto& param_info) {
                           return param_info.param == G711Law::kMuLaw ? std::string("MuLaw")
                                                                      : std::string("ALaw");
                         });

}  // namespace
}  // namespace tutti::codecs
