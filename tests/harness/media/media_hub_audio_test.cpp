// Audio through the hub end to end: phone -> hub RTP port -> engine -> hub -> other phone,
// with the strict-media source checks and bad packets on the way in.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "media_test_support.h"

namespace tutti::media::test {
namespace {

// Every packet follows the previous one: sequence +1, same SSRC, and the timestamp a whole
// number of 20 ms frames on, with the marker set exactly where it is not the next frame.
void expect_continuous(const std::vector<rtp::RtpPacket>& packets) {
  ASSERT_FALSE(packets.empty());
  EXPECT_TRUE(packets[0].header.marker);
  for (std::size_t i = 1; i < packets.size(); ++i) {
    const rtp::RtpHeader& a = packets[i - 1].header;
    const rtp::RtpHeader& b = packets[i].header;
    EXPECT_EQ(static_cast<uint16_t>(a.sequence + 1), b.sequence) << "packet " << i;
    EXPECT_EQ(a.ssrc, b.ssrc);
    const uint32_t step = b.timestamp - a.timestamp;
    EXPECT_TRUE(step > 0 && step < 160 * 50 && step % 160 == 0)
        << "packet " << i << " step " << step;
    EXPECT_EQ(step != 160, b.marker) << "packet " << i;
  }
}

StreamStats stats_of(HubConference& c, std::size_t call) {
  return *c.hub().stats(c.call(call).stream.id);
}

TEST(MediaHubAudioTest, ToneFromPhoneAReachesPhoneBWithContinuousHeaders) {
  HubConference conf(2);
  conf.start_all();
  conf.talk(0, 30);
  const auto& got = conf.call(1).phone->received;
  ASSERT_GE(got.size(), 20u);
  EXPECT_EQ(got[0].header.payload_type, 0);
  expect_continuous(got);
  EXPECT_GT(decoded_tone_db(got, got.size() / 2, 1000.0), -30.0);
  EXPECT_GE(stats_of(conf, 0).rtp_in, 25u);
  EXPECT_EQ(stats_of(conf, 1).rtp_out, got.size());
  EXPECT_EQ(conf.hub().open_streams(), 2);
}

TEST(MediaHubAudioTest, ForeignSourceIsDroppedAndCounted) {
  HubConference conf(2);
  conf.start_all();
  conf.talk(0, 5);  // the SDP address speaks first: no latching from now on
  const uint64_t accepted = stats_of(conf, 0).rtp_in;
  UdpSocket stranger;
  ToneRtp tone(1000.0, 0xbad);
  for (int i = 0; i < 5; ++i) stranger.send_to(conf.call(0).stream.rtp_port, tone.next());
  conf.talk(-1, 5);
  EXPECT_EQ(stats_of(conf, 0).foreign_source, 5u);
  EXPECT_EQ(stats_of(conf, 0).rtp_in, accepted);
}

TEST(MediaHubAudioTest, FirstPacketFromElsewhereIsLatchedAndAnswered) {
  HubConference conf(2);
  UdpSocket sdp_address;  // what SDP said; the phone really sends from its own socket (NAT)
  StreamParams p = conf.params(0);
  p.remote_rtp_port = sdp_address.port();
  ASSERT_TRUE(conf.hub().start(conf.call(0).stream.id, p));
  ASSERT_TRUE(conf.hub().start(conf.call(1).stream.id, conf.params(1)));
  conf.talk(0, 10);
  sdp_address.receive_all();  // what went out before the latch
  conf.call(0).phone->received.clear();
  conf.talk(0, 10);
  EXPECT_GE(conf.call(0).phone->received.size(), 8u);  // replies follow the latched source
  EXPECT_TRUE(sdp_address.receive_all().empty());
  UdpSocket stranger;  // a second source is foreign once one is latched
  stranger.send_to(conf.call(0).stream.rtp_port, ToneRtp(500.0, 7).next());
  conf.talk(-1, 3);
  EXPECT_EQ(stats_of(conf, 0).foreign_source, 1u);
}

TEST(MediaHubAudioTest, MalformedPacketsAreCountedAndAudioKeepsFlowing) {
  HubConference conf(2);
  conf.start_all();
  conf.talk(0, 5);
  const UdpSocket& phone = conf.call(0).phone->rtp;
  const uint16_t port = conf.call(0).stream.rtp_port;
  phone.send_to(port, Bytes{0x80, 0x00, 0x01});  // shorter than an RTP header
  Bytes version1 = conf.tone(0).next();
  version1[0] = 0x40;
  phone.send_to(port, version1);
  Bytes event = conf.tone(0).next();  // telephone-event with a 2-byte payload
  event[1] = 101;
  event.resize(14);
  phone.send_to(port, event);
  Bytes unknown = conf.tone(0).next();
  unknown[1] = 99;
  phone.send_to(port, unknown);
  conf.call(0).phone->rtcp.send_to(static_cast<uint16_t>(port + 1), Bytes{0x80, 200, 0, 50});
  conf.call(1).phone->received.clear();
  conf.talk(0, 20);
  const StreamStats s = stats_of(conf, 0);
  EXPECT_EQ(s.malformed_rtp, 2u);
  EXPECT_EQ(s.malformed_dtmf, 1u);
  EXPECT_EQ(s.unknown_payload_type, 1u);
  EXPECT_EQ(s.malformed_rtcp, 1u);
  const auto& got = conf.call(1).phone->received;
  ASSERT_GE(got.size(), 15u);
  EXPECT_GT(decoded_tone_db(got, got.size() / 2, 1000.0), -30.0);
}

TEST(MediaHubAudioTest, UpdateSwapsTheLinkWithoutSequenceJumps) {
  HubConference conf(3);
  ASSERT_TRUE(conf.hub().start(conf.call(0).stream.id, conf.params(0)));
  ASSERT_TRUE(conf.hub().start(conf.call(1).stream.id, conf.params(1)));
  conf.talk(0, 12);
  const std::size_t before = conf.call(1).phone->received.size();
  StreamParams moved = conf.params(1);
  moved.link = conf.call(2).link;  // phone 1 now hears what participant 2 hears
  ASSERT_TRUE(conf.hub().update(conf.call(1).stream.id, moved));
  conf.talk(0, 15);
  const auto& got = conf.call(1).phone->received;
  ASSERT_GE(got.size(), before + 10);
  expect_continuous(got);
  EXPECT_GT(decoded_tone_db(got, got.size() - 8, 1000.0), -30.0);
  EXPECT_GT(conf.call(2).link.counters().output_frames, 0u);
}

TEST(MediaHubAudioTest, HoldPullsButSendsNothing) {
  HubConference conf(2);
  conf.start_all();
  StreamParams hold = conf.params(1);
  hold.remote_address = "0.0.0.0";
  ASSERT_TRUE(conf.hub().update(conf.call(1).stream.id, hold));
  conf.call(1).phone->rtp.receive_all();
  conf.call(1).phone->received.clear();
  const LinkCounters before = conf.call(1).link.counters();
  conf.talk(0, 10);
  const LinkCounters after = conf.call(1).link.counters();
  EXPECT_TRUE(conf.call(1).phone->received.empty());
  EXPECT_GE(after.output_frames, before.output_frames + 7);  // still drained
  EXPECT_EQ(after.output_dropped, before.output_dropped);
}

}  // namespace
}  // namespace tutti::media::test
