// RTCP compound packets and the receiver statistics that fill report blocks. Byte vectors are
// written by hand from the RFC 3550 section 6 layouts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "tutti/rtp/receiver_stats.h"
#include "tutti/rtp/rtcp.h"
#include "wire_bytes.h"

namespace tutti::rtp {
namespace {

// SR, one report block: 52 bytes = 13 words, length field 12.
const Bytes kSr{0x81, 0xC8, 0x00, 0x0C, 0x11, 0x11, 0x11, 0x11,  // header, SSRC
                0xAA, 0xBB, 0xCC, 0xDD, 0x01, 0x02, 0x03, 0x04,  // NTP timestamp
                0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x00, 0x32,  // RTP ts 8000, 50 packets
                0x00, 0x00, 0x1F, 0x40,                          // 8000 octets
                0x22, 0x22, 0x22, 0x22, 0x0C, 0xFF, 0xFF, 0xFE,  // block SSRC, 12/256, lost -2
                0x00, 0x01, 0x00, 0x64, 0x00, 0x00, 0x00, 0x10,  // highest seq 65636, jitter 16
                0x12, 0x34, 0x56, 0x78, 0x00, 0x01, 0x00, 0x00};  // LSR, DLSR 1 s
// SDES, one chunk: CNAME "alice", end item; 16 bytes, length 3.
const Bytes kSdes{0x81, 0xCA, 0x00, 0x03, 0x11, 0x11, 0x11, 0x11,
                  0x01, 0x05, 'a',  'l',  'i',  'c',  'e',  0x00};
// BYE for one SSRC with reason "done" (length byte + 4 chars + 3 padding); 16 bytes, length 3.
const Bytes kBye{0x81, 0xCB, 0x00, 0x03, 0x11, 0x11, 0x11, 0x11,
                 0x04, 'd',  'o',  'n',  'e',  0x00, 0x00, 0x00};
// RFC 3611 XR with an 8-byte block we do not interpret; 12 bytes, length 2.
const Bytes kXr{0x80, 0xCF, 0x00, 0x02, 0x11, 0x11, 0x11, 0x11, 0x04, 0x00, 0x00, 0x01};
// RR, one block; 32 bytes, length 7.
const Bytes kRr{0x81, 0xC9, 0x00, 0x07, 0x33, 0x33, 0x33, 0x33, 0x44, 0x44, 0x44, 0x44,
                0x80, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x63, 0x00, 0x00, 0x00, 0x02,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

RtcpError rtcp_error(const Bytes& b) {
  auto parsed = parse_rtcp(b);
  EXPECT_FALSE(parsed.is_ok());
  return parsed.error();
}

TEST(RtcpParse, CompoundSrSdesByeGivesEveryField) {
  const Bytes b = cat({kSr, kSdes, kBye});
  auto c = parse_rtcp(b);
  ASSERT_TRUE(c.is_ok()) << rtcp_error_name(c.error());
  EXPECT_EQ(c->packet_count, 3u);
  ASSERT_EQ(c->report_count, 1u);
  const RtcpReport& sr = c->reports[0];
  EXPECT_TRUE(sr.has_sender_info);
  EXPECT_EQ(sr.ssrc, 0x11111111u);
  EXPECT_EQ(sr.sender_info.ntp_timestamp, 0xAABBCCDD01020304ull);
  EXPECT_EQ(sr.sender_info.rtp_timestamp, 8000u);
  EXPECT_EQ(sr.sender_info.packet_count, 50u);
  EXPECT_EQ(sr.sender_info.octet_count, 8000u);
  ASSERT_EQ(sr.block_count, 1u);
  const ReportBlock& block = sr.blocks[0];
  EXPECT_EQ(block.ssrc, 0x22222222u);
  EXPECT_EQ(block.fraction_lost, 12);
  EXPECT_EQ(block.cumulative_lost, -2);
  EXPECT_EQ(block.extended_highest_sequence, 65636u);
  EXPECT_EQ(block.jitter, 16u);
  EXPECT_EQ(block.last_sr, 0x12345678u);
  EXPECT_EQ(block.delay_since_last_sr, 65536u);
  ASSERT_EQ(c->cname_count, 1u);
  EXPECT_EQ(c->cnames[0].ssrc, 0x11111111u);
  EXPECT_EQ(c->cnames[0].cname, "alice");
  ASSERT_TRUE(c->has_bye);
  ASSERT_EQ(c->bye.ssrc_count, 1u);
  EXPECT_EQ(c->bye.ssrcs[0], 0x11111111u);
  EXPECT_EQ(c->bye.reason, "done");
}

TEST(RtcpParse, ReceiverReportAndExtendedReportAreWalked) {
  auto c = parse_rtcp(cat({kRr, kXr}));
  ASSERT_TRUE(c.is_ok());
  EXPECT_EQ(c->packet_count, 2u);
  EXPECT_EQ(c->extended_report_count, 1u);
  ASSERT_EQ(c->report_count, 1u);
  EXPECT_FALSE(c->reports[0].has_sender_info);
  EXPECT_EQ(c->reports[0].blocks[0].cumulative_lost, 5);
  EXPECT_EQ(c->reports[0].blocks[0].fraction_lost, 0x80);
  EXPECT_EQ(c->reports[0].blocks[0].extended_highest_sequence, 99u);
}

TEST(RtcpParse, EachMalformedClassIsRejectedWithItsError) {
  EXPECT_EQ(rtcp_error({}), RtcpError::kTooShort);
  EXPECT_EQ(rtcp_error(cat({kRr, {0x81, 0xC9}})), RtcpError::kTooShort);
  Bytes v1 = kRr;
  v1[0] = 0x41;
  EXPECT_EQ(rtcp_error(v1), RtcpError::kBadVersion);
  Bytes long_length = kRr;
  long_length[3] = 0xFF;
  EXPECT_EQ(rtcp_error(long_length), RtcpError::kBadLength);
  Bytes two_blocks = kRr;
  two_blocks[0] = 0x82;  // claims two blocks in room for one
  EXPECT_EQ(rtcp_error(two_blocks), RtcpError::kBadCount);
  Bytes sr_31 = kSr;
  sr_31[0] = 0x9F;
  EXPECT_EQ(rtcp_error(sr_31), RtcpError::kBadCount);
  Bytes bye_many = kBye;
  bye_many[0] = 0x85;  // five SSRCs in 12 bytes
  EXPECT_EQ(rtcp_error(bye_many), RtcpError::kBadCount);
  Bytes bye_reason = kBye;
  bye_reason[8] = 0x09;  // reason longer than the packet
  EXPECT_EQ(rtcp_error(bye_reason), RtcpError::kBadLength);
  Bytes sdes_item = kSdes;
  sdes_item[9] = 0x30;  // CNAME longer than the packet
  EXPECT_EQ(rtcp_error(sdes_item), RtcpError::kBadSdes);
  Bytes sdes_chunks = kSdes;
  sdes_chunks[0] = 0x83;
  EXPECT_EQ(rtcp_error(sdes_chunks), RtcpError::kBadCount);
  Bytes pad_zero = kXr;
  pad_zero[0] = 0xA0;
  pad_zero.back() = 0x00;
  EXPECT_EQ(rtcp_error(pad_zero), RtcpError::kBadPadding);
  Bytes pad_long = kXr;
  pad_long[0] = 0xA0;
  pad_long.back() = 0x20;
  EXPECT_EQ(rtcp_error(pad_long), RtcpError::kBadPadding);
}

TEST(RtcpParse, EveryPrefixIsRejectedExceptWholePackets) {
  const Bytes full = cat({kSr, kSdes, kBye, kXr});
  const std::vector<std::size_t> boundaries{kSr.size(), kSr.size() + kSdes.size(),
                                            kSr.size() + kSdes.size() + kBye.size(), full.size()};
  for (std::size_t n = 0; n <= full.size(); ++n) {
    auto c = parse_rtcp(std::span(full.data(), n));
    const bool whole = std::find(boundaries.begin(), boundaries.end(), n) != boundaries.end();
    EXPECT_EQ(c.is_ok(), whole) << "prefix " << n;
  }
}

TEST(RtcpWrite, ReceiverReportFromStatsParsesToTheSameFields) {
  RtpReceiverStats stats;
  for (uint16_t seq = 0; seq < 50; ++seq) {
    if (seq % 10 != 3) stats.on_packet(seq, seq * 160u, seq * 160u + (seq % 2) * 30u);
  }
  RtcpReport rr;
  rr.ssrc = 0xABCDEF01u;
  rr.block_count = 2;
  rr.blocks[0] = stats.take_report_block(0x01020304u);
  rr.blocks[0].last_sr = 0x11223344u;
  rr.blocks[0].delay_since_last_sr = 3000;
  rr.blocks[1].ssrc = 7;
  rr.blocks[1].cumulative_lost = -8388608;  // the most negative 24-bit value
  Bytes out(rtcp_report_size(false, 2));
  ASSERT_EQ(write_rtcp_report(rr, out), out.size());
  EXPECT_EQ(out[0], 0x82);
  EXPECT_EQ(out[1], 201);
  EXPECT_EQ(out[3], out.size() / 4 - 1);
  auto c = parse_rtcp(out);
  ASSERT_TRUE(c.is_ok());
  ASSERT_EQ(c->report_count, 1u);
  EXPECT_EQ(c->reports[0].ssrc, rr.ssrc);
  EXPECT_EQ(c->reports[0].block_count, 2u);
  EXPECT_EQ(c->reports[0].blocks[0], rr.blocks[0]);
  EXPECT_EQ(c->reports[0].blocks[1], rr.blocks[1]);
  EXPECT_EQ(rr.blocks[0].cumulative_lost, 5);
}

TEST(RtcpWrite, SenderReportMatchesHandWrittenBytes) {
  RtcpReport sr;
  sr.has_sender_info = true;
  sr.ssrc = 0x11111111u;
  sr.sender_info = {0xAABBCCDD01020304ull, 8000, 50, 8000};
  sr.block_count = 1;
  sr.blocks[0] = {0x22222222u, 12, -2, 65636, 16, 0x12345678u, 65536};
  Bytes out(kSr.size());
  ASSERT_EQ(write_rtcp_report(sr, out), kSr.size());
  EXPECT_EQ(out, kSr);
  Bytes small(kSr.size() - 1);
  EXPECT_EQ(write_rtcp_report(sr, small), 0u);
}

TEST(RtpReceiverStats, HundredPacketsWithFiveMissingLoseFive) {
  RtpReceiverStats stats;
  const uint16_t first = 65500;  // crosses the 16-bit wrap
  for (uint16_t i = 0; i < 100; ++i) {
    if (i == 10 || i == 11 || i == 40 || i == 77 || i == 98) continue;
    stats.on_packet(static_cast<uint16_t>(first + i), i * 160u, 5000 + i * 160u);
  }
  EXPECT_EQ(stats.expected(), 100u);
  EXPECT_EQ(stats.packets_received(), 95u);
  EXPECT_EQ(stats.cumulative_lost(), 5);
  EXPECT_EQ(stats.extended_highest_sequence(), 65536u + static_cast<uint16_t>(first + 99));
  const ReportBlock block = stats.take_report_block(1);
  EXPECT_EQ(block.fraction_lost, (5 * 256) / 100);  // RFC 3550 A.3 truncates 12.8 to 12
  EXPECT_EQ(block.jitter, 0u);                      // constant transit time
  EXPECT_EQ(stats.take_report_block(1).fraction_lost, 0);  // empty next interval
}

TEST(RtpReceiverStats, JitterGrowsWithJitteredArrivals) {
  RtpReceiverStats steady;
  RtpReceiverStats jittered;
  std::vector<uint32_t> jitter_over_time;
  for (uint16_t i = 0; i < 300; ++i) {
    steady.on_packet(i, i * 160u, 1000 + i * 160u);
    jittered.on_packet(i, i * 160u, 1000 + i * 160u + (i % 2 ? 40u : 0u));
    jitter_over_time.push_back(jittered.jitter());
  }
  EXPECT_EQ(steady.jitter(), 0u);
  EXPECT_LT(jitter_over_time[5], jitter_over_time[20]);
  EXPECT_LT(jitter_over_time[20], jitter_over_time[100]);
  // |D| is 40 every packet, so J converges to 40.
  EXPECT_GE(jittered.jitter(), 38u);
  EXPECT_LE(jittered.jitter(), 40u);
}

}  // namespace
}  // namespace tutti::rtp
