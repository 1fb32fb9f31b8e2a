#include "tutti/codecs/registry.h"

#include <gtest/gtest.h>

#include <vector>

namespace tutti::codecs {
namespace {

TEST(CodecRegistry, FindsByNameCaseInsensitively) {
  const CodecInfo* pcmu = find("pcmu", 8000);
  ASSERT_NE(pcmu, nullptr);
  EXPECT_EQ(pcmu->id, CodecId::kPcmu);
  EXPECT_EQ(pcmu->static_payload_type, 0);
  EXPECT_EQ(find("PCMU", 8000, 1), pcmu);
  EXPECT_EQ(find("PcMa", 8000)->static_payload_type, 8);
  const CodecInfo* opus = find("OPUS", 48000, 2);
  ASSERT_NE(opus, nullptr);
  EXPECT_EQ(opus->static_payload_type, -1);
  EXPECT_EQ(opus->sample_rate_hz, 48000);
}

TEST(CodecRegistry, G722HasEightKilohertzClockButSixteenKilohertzAudio) {
  const CodecInfo* g722 = find("g722", 8000, 1);
  ASSERT_NE(g722, nullptr);
  EXPECT_EQ(g722->rtp_clock_rate_hz, 8000);
  EXPECT_EQ(g722->sample_rate_hz, 16000);
  EXPECT_EQ(g722->static_payload_type, 9);
  EXPECT_EQ(find("G722", 16000), nullptr);
}

TEST(CodecRegistry, TelephoneEventIsListedButHasNoCodec) {
  const CodecInfo* te = find("Telephone-Event", 8000);
  ASSERT_NE(te, nullptr);
  EXPECT_FALSE(te->is_audio);
  auto encoder = create_encoder(*te);
  EXPECT_FALSE(encoder.ok());
  EXPECT_EQ(encoder.status().code(), ErrorCode::kUnsupported);
  EXPECT_FALSE(encoder.status().message().empty());
  EXPECT_FALSE(create_decoder(*te).ok());
}

TEST(CodecRegistry, UnknownCodecOrRateIsAClearError) {
  EXPECT_EQ(find("G729", 8000), nullptr);
  EXPECT_EQ(find("PCMU", 16000), nullptr);
  EXPECT_EQ(find("opus", 48000, 1), nullptr);  // RFC 7587: opus is always /2 in SDP
  auto result = lookup("G729", 8000, 1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(result.status().message().find("G729"), std::string::npos);
  EXPECT_NE(result.status().message().find("PCMU"), std::string::npos);  // says what is offered
}

TEST(CodecRegistry, FindsStaticPayloadTypes) {
  EXPECT_EQ(find_by_static_payload_type(0)->id, CodecId::kPcmu);
  EXPECT_EQ(find_by_static_payload_type(8)->id, CodecId::kPcma);
  EXPECT_EQ(find_by_static_payload_type(9)->id, CodecId::kG722);
  EXPECT_EQ(find_by_static_payload_type(18), nullptr);
  EXPECT_EQ(find_by_static_payload_type(-1), nullptr);
}

TEST(CodecRegistry, CreatesAWorkingEncoderAndDecoderForEveryAudioCodec) {
  for (const CodecInfo& info : registered_codecs()) {
    if (!info.is_audio) continue;
    SCOPED_TRACE(std::string(info.encoding_name));
    auto encoder = create_encoder(info);
    auto decoder = create_decoder(info);
    ASSERT_TRUE(encoder.ok()) << encoder.status().message();
    ASSERT_TRUE(decoder.ok()) << decoder.status().message();
    EXPECT_EQ((*encoder)->sample_rate_hz(), info.sample_rate_hz);
    EXPECT_EQ((*decoder)->sample_rate_hz(), info.sample_rate_hz);
    const size_t frame = static_cast<size_t>(info.sample_rate_hz / 50);
    std::vector<int16_t> pcm(frame, 1000);
    std::vector<uint8_t> payload(1500);
    const int bytes = (*encoder)->encode(pcm, payload);
    ASSERT_GT(bytes, 0);
    std::vector<int16_t> decoded(frame);
    EXPECT_EQ((*decoder)->decode(
                  std::span<const uint8_t>(payload.data(), static_cast<size_t>(bytes)), decoded),
              static_cast<int>(frame));
  }
}

TEST(CodecRegistry, OpusEncoderTakesNarrowbandRatesOthersRefuseForeignRates) {
  EncoderOptions options;
  options.sample_rate_hz = 16000;
  auto opus = create_encoder(*find("opus", 48000, 2), options);
  ASSERT_TRUE(opus.ok()) << opus.status().message();
  EXPECT_EQ((*opus)->sample_rate_hz(), 16000);
  auto pcmu = create_encoder(*find("PCMU", 8000), options);
  EXPECT_FALSE(pcmu.ok());
  EXPECT_NE(pcmu.status().message().find("8000"), std::string::npos);
}

}  // namespace
}  // namespace tutti::codecs
