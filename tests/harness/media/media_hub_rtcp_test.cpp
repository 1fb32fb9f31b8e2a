// RTCP through the hub: reports reach the phone's RTCP port, the phone's reports about the hub
// are read, and close() says BYE.
#include <gtest/gtest.h>

#include "media_test_support.h"
#include "tutti/rtp/rtcp.h"

namespace tutti::media::test {
namespace {

// Every RTCP compound the socket has queued, parsed (unparseable ones fail the test).
std::vector<rtp::RtcpCompound> rtcp_received(const UdpSocket& socket) {
  std::vector<rtp::RtcpCompound> out;
  for (const Bytes& b : socket.receive_all()) {
    const auto parsed = rtp::parse_rtcp(b);
    EXPECT_TRUE(parsed);
    if (parsed) out.push_back(*parsed);
  }
  return out;
}

TEST(MediaHubRtcpTest, SenderReportsReachThePhoneAndDescribeItsStream) {
  HubConference conf(2);
  conf.start_all();
  conf.talk(0, 25);  // 500 ms: two report intervals of 200 ms
  const std::vector<rtp::RtcpCompound> reports = rtcp_received(conf.call(0).phone->rtcp);
  ASSERT_GE(reports.size(), 1u);
  const rtp::RtcpCompound& last = reports.back();
  ASSERT_GE(last.report_count, 1u);
  EXPECT_TRUE(last.reports[0].has_sender_info);  // the hub sends phone 0 the room's audio
  EXPECT_EQ(last.reports[0].ssrc, conf.call(0).phone->received.at(0).header.ssrc);
  ASSERT_EQ(last.reports[0].block_count, 1u);
  EXPECT_EQ(last.reports[0].blocks[0].ssrc, conf.tone(0).ssrc());
  EXPECT_EQ(last.reports[0].blocks[0].cumulative_lost, 0);
  EXPECT_EQ(last.cname_count, 1u);
  EXPECT_GE(conf.hub().stats(conf.call(0).stream.id)->rtcp_out, reports.size());
}

TEST(MediaHubRtcpTest, PhoneReportAboutTheHubSetsRemoteLoss) {
  HubConference conf(2);
  conf.start_all();
  conf.talk(-1, 3);
  rtp::RtcpReport rr;
  rr.ssrc = 0x1234;
  rr.block_count = 1;
  rr.blocks[0].ssrc = conf.call(0).phone->received.at(0).header.ssrc;
  rr.blocks[0].fraction_lost = 64;
  Bytes packet(rtp::rtcp_report_size(false, 1));
  ASSERT_GT(rtp::write_rtcp_report(rr, packet), 0u);
  conf.call(0).phone->rtcp.send_to(static_cast<uint16_t>(conf.call(0).stream.rtp_port + 1), packet);
  conf.talk(-1, 3);
  const StreamStats s = *conf.hub().stats(conf.call(0).stream.id);
  EXPECT_EQ(s.rtcp_in, 1u);
  EXPECT_DOUBLE_EQ(s.remote_fraction_lost, 0.25);
}

TEST(MediaHubRtcpTest, CloseSaysByeAndFoldsIntoTotals) {
  HubConference conf(2);
  conf.start_all();
  conf.talk(0, 5);
  const StreamStats before = *conf.hub().stats(conf.call(1).stream.id);
  rtcp_received(conf.call(1).phone->rtcp);
  conf.hub().close(conf.call(1).stream.id);
  // A periodic report may still be on its way (slow machines, sanitizers): the BYE is the
  // last packet, within half a second.
  bool bye_seen = false;
  for (int packets = 0; packets < 5 && !bye_seen; ++packets) {
    const std::optional<Bytes> packet = conf.call(1).phone->rtcp.receive(500);
    if (!packet) break;
    const auto parsed = rtp::parse_rtcp(*packet);
    ASSERT_TRUE(parsed);
    bye_seen = parsed->has_bye;
  }
  EXPECT_TRUE(bye_seen);
  EXPECT_FALSE(conf.hub().stats(conf.call(1).stream.id));
  EXPECT_EQ(conf.hub().open_streams(), 1);
  EXPECT_GE(conf.hub().totals().rtp_out, before.rtp_out);
}

}  // namespace
}  // namespace tutti::media::test
