#include "tutti/codecs/g722.h"

#include <gtest/gtest.h>

#include <vector>

#include "codec_harness.h"
#include "support/signals.h"

namespace tutti::codecs {
namespace {

struct G722Pair {
  std::unique_ptr<Encoder> encoder;
  std::unique_ptr<Decoder> decoder;
};

G722Pair make_pair() {
  auto encoder = create_g722_encoder();
  auto decoder = create_g722_decoder(60);
  EXPECT_TRUE(encoder.ok()) << encoder.status().message();
  EXPECT_TRUE(decoder.ok()) << decoder.status().message();
  return {std::move(encoder).value(), std::move(decoder).value()};
}

TEST(G722, RunsAtSixteenKilohertzWithEightKilohertzRtpClock) {
  auto pair = make_pair();
  EXPECT_EQ(pair.encoder->sample_rate_hz(), 16000);
  EXPECT_EQ(pair.decoder->sample_rate_hz(), 16000);
  EXPECT_EQ(kG722RtpClockRateHz, 8000);
  EXPECT_EQ(g722_payload_bytes(320), 160);  // 20 ms at 64 kbit/s
}

TEST(G722, OneKilohertzToneComesBackAtSameLevel) {
  auto pair = make_pair();
  const auto run = testing::run_tone(*pair.encoder, *pair.decoder, 1000.0, 0.3, 20, 1.0);
  ASSERT_TRUE(run.all_ok);
  EXPECT_EQ(run.payload_bytes.front(), 160);
  const auto in = testing::steady(run.input, 16000);
  const auto out = testing::steady(run.output, 16000);
  const double in_db = test::tone_level_db(in, 1000.0, 16000);
  EXPECT_NEAR(test::tone_level_db(out, 1000.0, 16000), in_db, 1.0);
  EXPECT_LT(test::tone_level_db(out, 2700.0, 16000), in_db - 30.0);
}

TEST(G722, WidebandToneAboveTelephoneBandSurvives) {
  auto pair = make_pair();
  const auto run = testing::run_tone(*pair.encoder, *pair.decoder, 5000.0, 0.3, 20, 1.0);
  ASSERT_TRUE(run.all_ok);
  const double in_db = test::tone_level_db(testing::steady(run.input, 16000), 5000.0, 16000);
  EXPECT_NEAR(test::tone_level_db(testing::steady(run.output, 16000), 5000.0, 16000), in_db, 3.0);
}

TEST(G722, LostFramesFadeToSilence) {
  auto pair = make_pair();
  const auto run = testing::run_tone(*pair.encoder, *pair.decoder, 1000.0, 0.3, 20, 0.2);
  ASSERT_TRUE(run.all_ok);
  const double good_db = testing::rms_db(std::span<const int16_t>(run.output).last(320));
  std::vector<double> lost_db;
  for (int f = 0; f < 4; ++f) {
    std::vector<int16_t> pcm(320);
    ASSERT_EQ(pair.decoder->conceal(pcm), 320);
    lost_db.push_back(testing::rms_db(pcm));
  }
  EXPECT_GT(lost_db[0], good_db - 4.0);
  EXPECT_LT(lost_db[1], lost_db[0]);
  EXPECT_LT(lost_db[2], lost_db[1]);
  EXPECT_EQ(lost_db[3], -200.0);
}

TEST(G722, DecodeRefusesTooSmallOutput) {
  auto pair = make_pair();
  std::vector<uint8_t> payload(160);
  std::vector<int16_t> pcm(319);
  EXPECT_LT(pair.decoder->decode(payload, pcm), 0);
}

}  // namespace
}  // namespace tutti::codecs
