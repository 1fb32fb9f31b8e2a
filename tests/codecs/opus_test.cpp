#include "tutti/codecs/opus.h"

#include <gtest/gtest.h>
#include <opus.h>

#include <cmath>
#include <random>
#include <vector>

#include "codec_harness.h"
#include "support/signals.h"

namespace tutti::codecs {
namespace {

std::unique_ptr<OpusEncoder> make_encoder(OpusEncoderConfig config) {
  auto encoder = create_opus_encoder(config);
  EXPECT_TRUE(encoder.ok()) << encoder.status().message();
  return std::move(encoder).value();
}

std::unique_ptr<OpusDecoder> make_decoder(int sample_rate_hz) {
  auto decoder = create_opus_decoder(sample_rate_hz);
  EXPECT_TRUE(decoder.ok()) << decoder.status().message();
  return std::move(decoder).value();
}

class OpusTone : public ::testing::TestWithParam<int> {};

TEST_P(OpusTone, OneKilohertzToneComesBackAtSameLevel) {
  const int rate_hz = GetParam();
  OpusEncoderConfig config;
  config.sample_rate_hz = rate_hz;
  config.bitrate_bps = 32000;
  auto encoder = make_encoder(config);
  auto decoder = make_decoder(rate_hz);
  const auto run = testing::run_tone(*encoder, *decoder, 1000.0, 0.3, 20, 1.0);
  ASSERT_TRUE(run.all_ok);
  const double in_db = test::tone_level_db(testing::steady(run.input, rate_hz), 1000.0, rate_hz);
  const auto out = testing::steady(run.output, rate_hz);
  EXPECT_NEAR(test::tone_level_db(out, 1000.0, rate_hz), in_db, 2.0);
  EXPECT_LT(test::tone_level_db(out, 2700.0, rate_hz), in_db - 25.0);
}

INSTANTIATE_TEST_SUITE_P(InputRates, OpusTone, ::testing::Values(8000, 16000, 48000),
                         [](const auto& param_info) {
                           return std::to_string(param_info.param) + "Hz";
                         });

TEST(Opus, DtxSendsTinyPacketsOnSilence) {
  OpusEncoderConfig config;
  config.dtx = true;
  auto encoder = make_encoder(config);
  std::vector<int16_t> silence(960, 0);
  std::vector<uint8_t> payload(kOpusMaxPacketBytes);
  int dtx_frames = 0;
  for (int f = 0; f < 50; ++f) {
    const int bytes = encoder->encode(silence, payload);
    ASSERT_GT(bytes, 0);
    const bool tiny =
        opus_payload_is_dtx(std::span<const uint8_t>(payload.data(), static_cast<size_t>(bytes)));
    EXPECT_EQ(tiny, encoder->last_frame_was_dtx());
    dtx_frames += tiny ? 1 : 0;
  }
  // libopus keeps sending real frames for a ~200 ms hangover, then (almost) only DTX frames.
  EXPECT_GE(dtx_frames, 35);

  // Speech-like input ends DTX at once.
  std::vector<int16_t> tone(960);
  test::ToneGenerator gen(440.0, 0.3, 48000);
  gen.fill(std::span<int16_t>(tone));
  EXPECT_GT(encoder->encode(tone, payload), 2);
  EXPECT_FALSE(encoder->last_frame_was_dtx());
}

TEST(Opus, WithoutDtxSilenceStillSendsRealPackets) {
  auto encoder = make_encoder({});
  std::vector<int16_t> silence(960, 0);
  std::vector<uint8_t> payload(kOpusMaxPacketBytes);
  for (int f = 0; f < 20; ++f) EXPECT_GT(encoder->encode(silence, payload), 2);
}

// Sum of squared differences, as dB relative to the reference energy.
double error_db(std::span<const int16_t> got, std::span<const int16_t> want) {
  double err = 0.0, ref = 1e-9;
  for (size_t i = 0; i < want.size(); ++i) {
    const double d = static_cast<double>(got[i]) - want[i];
    err += d * d;
    ref += static_cast<double>(want[i]) * want[i];
  }
  return 10.0 * std::log10(err / ref + 1e-12);
}

TEST(Opus, FecRecoversALostFrameBetterThanPlc) {
  constexpr int kRate = 16000;
  constexpr size_t kFrame = 320;
  constexpr int kLost = 30;
  OpusEncoderConfig config;
  config.sample_rate_hz = kRate;
  config.bitrate_bps = 24000;
  config.inband_fec = true;
  config.expected_loss_pct = 20;
  auto encoder = make_encoder(config);

  // A voice-like signal that changes pitch at the lost frame, which PLC cannot predict.
  std::vector<std::vector<uint8_t>> packets;
  test::ToneGenerator low(300.0, 0.3, kRate), high(700.0, 0.3, kRate);
  std::vector<int16_t> pcm(kFrame);
  std::vector<uint8_t> payload(kOpusMaxPacketBytes);
  for (int f = 0; f < kLost + 5; ++f) {
    (f < kLost ? low : high).fill(std::span<int16_t>(pcm));
    const int bytes = encoder->encode(pcm, payload);
    ASSERT_GT(bytes, 0);
    packets.emplace_back(payload.begin(), payload.begin() + bytes);
  }

  auto reference = make_decoder(kRate);
  auto with_fec = make_decoder(kRate);
  auto with_plc = make_decoder(kRate);
  std::vector<int16_t> ref_out(kFrame), fec_out(kFrame), plc_out(kFrame);
  for (int f = 0; f < kLost; ++f) {
    ASSERT_EQ(reference->decode(packets[f], ref_out), static_cast<int>(kFrame));
    ASSERT_EQ(with_fec->decode(packets[f], fec_out), static_cast<int>(kFrame));
    ASSERT_EQ(with_plc->decode(packets[f], plc_out), static_cast<int>(kFrame));
  }
  ASSERT_EQ(reference->decode(packets[kLost], ref_out), static_cast<int>(kFrame));
  ASSERT_TRUE(with_fec->has_fec());
  ASSERT_EQ(with_fec->decode_fec(packets[kLost + 1], fec_out), static_cast<int>(kFrame));
  ASSERT_EQ(with_plc->conceal(plc_out), static_cast<int>(kFrame));

  const double fec_err = error_db(fec_out, ref_out);
  const double plc_err = error_db(plc_out, ref_out);
  EXPECT_LT(fec_err, plc_err - 3.0) << "fec " << fec_err << " dB, plc " << plc_err << " dB";
  // After the gap both decoders continue with the next packet normally.
  EXPECT_EQ(with_fec->decode(packets[kLost + 1], fec_out), static_cast<int>(kFrame));
}

TEST(Opus, StereoPayloadDecodesToMono) {
  int err = OPUS_OK;
  ::OpusEncoder* stereo = opus_encoder_create(48000, 2, OPUS_APPLICATION_VOIP, &err);
  ASSERT_EQ(err, OPUS_OK);
  opus_encoder_ctl(stereo, OPUS_SET_BITRATE(64000));
  auto decoder = make_decoder(48000);
  test::ToneGenerator gen(1000.0, 0.3, 48000);
  std::vector<int16_t> mono(960), interleaved(1920), out, frame(960);
  std::vector<uint8_t> payload(kOpusMaxPacketBytes);
  for (int f = 0; f < 25; ++f) {
    gen.fill(std::span<int16_t>(mono));
    for (size_t i = 0; i < mono.size(); ++i) interleaved[2 * i] = interleaved[2 * i + 1] = mono[i];
    const int bytes = opus_encode(stereo, interleaved.data(), 960, payload.data(),
                                  static_cast<opus_int32>(payload.size()));
    ASSERT_GT(bytes, 0);
    ASSERT_EQ(decoder->decode(std::span<const uint8_t>(payload.data(), static_cast<size_t>(bytes)),
                              frame),
              960);
    out.insert(out.end(), frame.begin(), frame.end());
  }
  opus_encoder_destroy(stereo);
  EXPECT_NEAR(test::tone_level_db(testing::steady(out, 48000), 1000.0, 48000),
              20.0 * std::log10(0.3), 2.0);
}

TEST(Opus, PlcFillsAFullFrame) {
  auto encoder = make_encoder({});
  auto decoder = make_decoder(48000);
  const auto run = testing::run_tone(*encoder, *decoder, 1000.0, 0.3, 20, 0.2);
  ASSERT_TRUE(run.all_ok);
  std::vector<int16_t> pcm(960);
  EXPECT_EQ(decoder->conceal(pcm), 960);
  EXPECT_GT(testing::rms_db(pcm), -40.0);  // PLC continues the tone rather than going silent
}

TEST(Opus, GarbagePayloadIsAnErrorAndConcealmentStillWorks) {
  auto decoder = make_decoder(48000);
  std::vector<int16_t> pcm(960);
  // TOC code 3 announcing 63 frames of 20 ms: more than the 120 ms a packet may hold.
  const std::vector<uint8_t> invalid = {0xFF, 0xFF, 0x01, 0x02, 0x03};
  EXPECT_LT(decoder->decode(invalid, pcm), 0);
  EXPECT_EQ(decoder->decode(invalid, pcm), error_return(ErrorCode::kCorruptData));
  EXPECT_LT(decoder->decode({}, pcm), 0);
  EXPECT_EQ(decoder->conceal(pcm), 960);

  // Random bytes either decode to something or fail cleanly; never crash.
  const unsigned seed = 20240601;
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> byte(0, 255), length(1, 200);
  for (int i = 0; i < 500; ++i) {
    std::vector<uint8_t> junk(static_cast<size_t>(length(rng)));
    for (auto& b : junk) b = static_cast<uint8_t>(byte(rng));
    const int n = decoder->decode(junk, pcm);
    ASSERT_TRUE(n < 0 || (n > 0 && n <= 960)) << "seed " << seed << " iteration " << i;
    if (n < 0) {
      ASSERT_EQ(decoder->conceal(pcm), 960) << "seed " << seed;
    }
  }
}

TEST(Opus, BadConfigurationIsAClearError) {
  OpusEncoderConfig config;
  config.sample_rate_hz = 44100;
  auto encoder = create_opus_encoder(config);
  ASSERT_FALSE(encoder.ok());
  EXPECT_EQ(encoder.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(encoder.status().message().find("44100"), std::string::npos);
  config = {};
  config.complexity = 11;
  EXPECT_FALSE(create_opus_encoder(config).ok());
  EXPECT_FALSE(create_opus_decoder(22050).ok());
}

TEST(Opus, EncodeRejectsIllegalFrameLength) {
  auto encoder = make_encoder({});
  std::vector<int16_t> pcm(1000);  // not 2.5/5/10/20/40/60 ms at 48 kHz
  std::vector<uint8_t> payload(kOpusMaxPacketBytes);
  EXPECT_LT(encoder->encode(pcm, payload), 0);
}

}  // namespace
}  // namespace tutti::codecs
