// Wire formats of the harness: RTP with audio level, RFC 4733 events, RTCP compounds, receiver
// statistics. Byte vectors are written by hand from the RFC layouts, not from our writers.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "tutti/rtp/receiver_stats.h"
#include "tutti/rtp/rtcp.h"
#include "tutti/rtp/rtp_packet.h"
#include "tutti/rtp/telephone_event.h"
#include "wire_bytes.h"

namespace tutti::rtp {
namespace {

// v=2 pt=8 seq=1 ts=160 ssrc=0x12345678
const Bytes kRtpFixed{0x80, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0xA0, 0x12, 0x34, 0x56, 0x78};

Bytes with_first_byte(Bytes b, uint8_t first) {
  b[0] = first;
  return b;
}

RtpError rtp_error(const Bytes& b, int id = 1) {
  auto parsed = parse_rtp(b, id);
  EXPECT_FALSE(parsed.is_ok());
  return parsed.error();
}

TEST(RtpParse, KnownPacketGivesItsFields) {
  const Bytes b = cat({kRtpFixed, {0xDE, 0xAD}});
  auto p = parse_rtp(b);
  ASSERT_TRUE(p.is_ok());
  EXPECT_EQ(p->version, 2);
  EXPECT_FALSE(p->header.marker);
  EXPECT_EQ(p->header.payload_type, 8);
  EXPECT_EQ(p->header.sequence, 1);
  EXPECT_EQ(p->header.timestamp, 160u);
  EXPECT_EQ(p->header.ssrc, 0x12345678u);
  EXPECT_EQ(p->payload.size(), 2u);
  EXPECT_EQ(p->payload[0], 0xDE);
  EXPECT_FALSE(p->audio_level.has_value());
}

TEST(RtpParse, OneByteExtensionCarriesAudioLevelForNegotiatedIdOnly) {
  // BEDE, one word: id 1 len 0 -> level byte 0xA5 (voice, 37 dBov), two padding bytes.
  const Bytes b = cat({with_first_byte(kRtpFixed, 0x90), {0xBE, 0xDE, 0x00, 0x01},
                       {0x10, 0xA5, 0x00, 0x00}, {0x01}});
  auto p = parse_rtp(b, 1);
  ASSERT_TRUE(p.is_ok());
  ASSERT_TRUE(p->audio_level.has_value());
  EXPECT_EQ(p->audio_level->level_dbov, 37);
  EXPECT_TRUE(p->audio_level->voice);
  EXPECT_EQ(p->payload.size(), 1u);
  EXPECT_FALSE(parse_rtp(b, 2)->audio_level.has_value());
  EXPECT_FALSE(parse_rtp(b, kAudioLevelNotNegotiated)->audio_level.has_value());
}

TEST(RtpParse, TwoByteExtensionCarriesAudioLevel) {
  // 0x1000, one word: id 3 len 1 -> 0x25 (no voice, 37 dBov), one padding byte.
  const Bytes b = cat({with_first_byte(kRtpFixed, 0x90), {0x10, 0x00, 0x00, 0x01},
                       {0x03, 0x01, 0x25, 0x00}});
  auto p = parse_rtp(b, 3);
  ASSERT_TRUE(p.is_ok());
  ASSERT_TRUE(p->audio_level.has_value());
  EXPECT_EQ(p->audio_level->level_dbov, 37);
  EXPECT_FALSE(p->audio_level->voice);
  EXPECT_TRUE(p->payload.empty());
}

TEST(RtpParse, PaddingIsRemovedFromPayload) {
  const Bytes b = cat({with_first_byte(kRtpFixed, 0xA0), {'a', 'b', 0x00, 0x00, 0x03}});
  auto p = parse_rtp(b);
  ASSERT_TRUE(p.is_ok());
  EXPECT_TRUE(p->padding);
  EXPECT_EQ(p->payload.size(), 2u);
}

TEST(RtpParse, EachMalformedClassIsRejectedWithItsError) {
  EXPECT_EQ(rtp_error(Bytes(kRtpFixed.begin(), kRtpFixed.end() - 1)), RtpError::kTooShort);
  EXPECT_EQ(rtp_error({}), RtpError::kTooShort);
  EXPECT_EQ(rtp_error(with_first_byte(kRtpFixed, 0x40)), RtpError::kBadVersion);
  EXPECT_EQ(rtp_error(with_first_byte(kRtpFixed, 0x8F)), RtpError::kBadCsrcCount);
  EXPECT_EQ(rtp_error(cat({with_first_byte(kRtpFixed, 0x81), {1, 2, 3}})),
            RtpError::kBadCsrcCount);
  const Bytes ext = with_first_byte(kRtpFixed, 0x90);
  EXPECT_EQ(rtp_error(cat({ext, {0xBE, 0xDE}})), RtpError::kBadExtension);
  EXPECT_EQ(rtp_error(cat({ext, {0xBE, 0xDE, 0x00, 0x10}, {0, 0, 0, 0}})),
            RtpError::kBadExtension);
  EXPECT_EQ(rtp_error(cat({ext, {0xBE, 0xDE, 0xFF, 0xFF}})), RtpError::kBadExtension);
  // One-byte element id 1 claims 16 bytes in a 4-byte block.
  EXPECT_EQ(rtp_error(cat({ext, {0xBE, 0xDE, 0x00, 0x01}, {0x1F, 0, 0, 0}})),
            RtpError::kBadExtension);
  // Two-byte element claims 200 bytes.
  EXPECT_EQ(rtp_error(cat({ext, {0x10, 0x00, 0x00, 0x01}, {0x03, 200, 0, 0}})),
            RtpError::kBadExtension);
  const Bytes pad = with_first_byte(kRtpFixed, 0xA0);
  EXPECT_EQ(rtp_error(pad), RtpError::kBadPadding);
  EXPECT_EQ(rtp_error(cat({pad, {0x05}})), RtpError::kBadPadding);
  EXPECT_EQ(rtp_error(cat({pad, {'a', 0x00}})), RtpError::kBadPadding);
}

TEST(RtpParse, EveryPrefixOfAValidPacketIsRejectedOrStaysInBounds) {
  RtpHeader h;
  h.csrc_count = 2;
  h.csrcs[0] = 7;
  h.csrcs[1] = 9;
  const Bytes payload(20, 0x55);
  Bytes full(rtp_packet_size(h, payload.size(), true));
  ASSERT_EQ(write_rtp(h, payload, AudioLevelExtension{1, {10, true}}, full), full.size());
  for (std::size_t n = 0; n <= full.size(); ++n) {
    const std::span<const uint8_t> prefix(full.data(), n);
    auto p = parse_rtp(prefix, 1);
    if (n < 12 + 8 + 8) {
      EXPECT_FALSE(p.is_ok()) << "prefix " << n;
      continue;
    }
    ASSERT_TRUE(p.is_ok()) << "prefix " << n;
    EXPECT_EQ(p->payload.data(), full.data() + 28);
    EXPECT_EQ(p->payload.size(), n - 28);
    EXPECT_EQ(p->audio_level->level_dbov, 10);
  }
}

struct RoundTripCase {
  uint8_t csrc_count;
  int level_id;  // 0 = no extension
};

class RtpRoundTrip : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(RtpRoundTrip, WrittenPacketParsesToTheSameFields) {
  const RoundTripCase c = GetParam();
  RtpHeader h;
  h.marker = true;
  h.payload_type = 111;
  h.sequence = 65535;
  h.timestamp = 0xFFFFFF00u;
  h.ssrc = 0xCAFEBABEu;
  h.csrc_count = c.csrc_count;
  for (std::size_t i = 0; i < c.csrc_count; ++i) h.csrcs[i] = 1000 + static_cast<uint32_t>(i);
  const Bytes payload{1, 2, 3, 4, 5};
  std::optional<AudioLevelExtension> level;
  if (c.level_id > 0) level = AudioLevelExtension{c.level_id, {90, true}};
  Bytes out(300, 0xEE);
  const std::size_t size = write_rtp(h, payload, level, out);
  ASSERT_EQ(size, rtp_packet_size(h, payload.size(), level.has_value()));
  EXPECT_EQ(out[size], 0xEE) << "wrote past its size";
  auto p = parse_rtp(std::span(out.data(), size), c.level_id > 0 ? c.level_id : -1);
  ASSERT_TRUE(p.is_ok()) << rtp_error_name(p.error());
  EXPECT_TRUE(p->header.marker);
  EXPECT_EQ(p->header.payload_type, 111);
  EXPECT_EQ(p->header.sequence, 65535);
  EXPECT_EQ(p->header.timestamp, 0xFFFFFF00u);
  EXPECT_EQ(p->header.ssrc, 0xCAFEBABEu);
  EXPECT_EQ(p->header.csrc_count, c.csrc_count);
  EXPECT_EQ(p->header.csrcs, h.csrcs);
  EXPECT_EQ(Bytes(p->payload.begin(), p->payload.end()), payload);
  EXPECT_EQ(p->audio_level, level ? std::optional(level->level) : std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(CsrcsAndExtensions, RtpRoundTrip,
                         ::testing::Values(RoundTripCase{0, 0}, RoundTripCase{3, 0},
                                           RoundTripCase{15, 0}, RoundTripCase{0, 1},
                                           RoundTripCase{4, 14}, RoundTripCase{15, 15},
                                           RoundTripCase{2, 255}));

TEST(RtpWrite, RefusesTooSmallBufferAndBadFields) {
  RtpHeader h;
  const Bytes payload(10);
  Bytes out(21);
  EXPECT_EQ(write_rtp(h, payload, std::nullopt, out), 0u);
  out.resize(22);
  EXPECT_EQ(write_rtp(h, payload, std::nullopt, out), 22u);
  EXPECT_EQ(write_rtp(h, {}, AudioLevelExtension{0, {}}, out), 0u);
  EXPECT_EQ(write_rtp(h, {}, AudioLevelExtension{256, {}}, out), 0u);
  h.payload_type = 128;
  EXPECT_EQ(write_rtp(h, {}, std::nullopt, out), 0u);
}

}  // namespace
}  // namespace tutti::rtp

namespace tutti::rtp {
namespace {

// Random buffers through every parser. Half of them get version 2 so they reach the length
// checks past the first byte. Run under ASan/UBSan to catch any out-of-bounds read.
TEST(WireParsers, RandomGarbageNeverCrashes) {
  const uint32_t seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<std::size_t> length(0, 160);
  DtmfDetector detector;
  Bytes buffer;
  for (int i = 0; i < 100000; ++i) {
    buffer.resize(length(rng));
    for (uint8_t& b : buffer) b = static_cast<uint8_t>(byte(rng));
    if (!buffer.empty() && i % 2 == 0) buffer[0] = static_cast<uint8_t>(0x80 | (buffer[0] & 0x3F));
    if (auto p = parse_rtp(buffer, i % 16)) {
      ASSERT_GE(p->payload.data(), buffer.data());
      ASSERT_LE(p->payload.data() + p->payload.size(), buffer.data() + buffer.size());
    }
    (void)parse_rtcp(buffer).is_ok();
    (void)detector.feed(static_cast<uint32_t>(i / 8), buffer);
  }
}

}  // namespace
}  // namespace tutti::rtp
