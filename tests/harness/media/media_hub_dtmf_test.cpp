// RFC 4733 through the hub: digits a phone sends come out of poll_dtmf(); send_dtmf() reaches
// the phone as telephone-events on the stream's own SSRC and sequence.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "media_test_support.h"
#include "tutti/rtp/telephone_event.h"

namespace tutti::media::test {
namespace {

// The packets of one key press as a phone sends them: updates, then the end packet three times.
std::vector<Bytes> key_press(uint16_t& sequence, uint32_t ssrc, uint8_t event, uint32_t timestamp) {
  std::vector<Bytes> packets;
  const uint16_t durations[] = {400, 800, 800, 800, 800};
  for (int i = 0; i < 5; ++i) {
    rtp::TelephoneEvent e;
    e.event = event;
    e.end = i >= 2;
    e.duration = durations[i];
    uint8_t payload[4];
    rtp::write_telephone_event(e, payload);
    rtp::RtpHeader h;
    h.marker = i == 0;
    h.payload_type = 101;
    h.sequence = sequence++;
    h.timestamp = timestamp;
    h.ssrc = ssrc;
    Bytes packet(16);
    packet.resize(rtp::write_rtp(h, payload, std::nullopt, packet));
    packets.push_back(packet);
  }
  return packets;
}

TEST(MediaHubDtmfTest, DigitsFromThePhoneArePolled) {
  HubConference conf(2);
  conf.start_all();
  conf.talk(0, 3);
  const UdpSocket& phone = conf.call(0).phone->rtp;
  const uint16_t port = conf.call(0).stream.rtp_port;
  const ToneRtp& tone = conf.tone(0);
  uint16_t sequence = tone.next_sequence();
  const uint32_t timestamp = tone.next_timestamp();
  for (const Bytes& p : key_press(sequence, tone.ssrc(), 5, timestamp)) phone.send_to(port, p);
  for (const Bytes& p : key_press(sequence, tone.ssrc(), 11, timestamp + 1600)) {
    phone.send_to(port, p);
  }
  conf.talk(-1, 5);
  DtmfEvent events[4];
  ASSERT_EQ(conf.hub().poll_dtmf(events), 2u);
  EXPECT_EQ(events[0].digit, '5');
  EXPECT_EQ(events[1].digit, '#');
  EXPECT_EQ(events[0].stream, conf.call(0).stream.id);
  EXPECT_EQ(events[0].duration_ms, 100);
  EXPECT_EQ(conf.hub().stats(conf.call(0).stream.id)->dtmf_in, 2u);
  EXPECT_EQ(conf.hub().poll_dtmf(events), 0u);
}

TEST(MediaHubDtmfTest, SentDigitReachesThePhoneWithEndPackets) {
  HubConference conf(2);
  conf.start_all();
  conf.talk(-1, 5);
  ASSERT_TRUE(conf.hub().send_dtmf(conf.call(1).stream.id, '7', 100));
  conf.talk(-1, 15);
  const auto& got = conf.call(1).phone->received;
  std::size_t first_event = got.size();
  std::size_t ends = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (got[i].header.payload_type != 101) continue;
    const auto e = rtp::parse_telephone_event(got[i].payload);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->event, 7);
    if (first_event == got.size()) {
      first_event = i;
      EXPECT_TRUE(got[i].header.marker);
    }
    EXPECT_EQ(got[i].header.timestamp, got[first_event].header.timestamp);
    if (e->end) {
      ++ends;
      EXPECT_EQ(e->duration, 800);
    }
  }
  ASSERT_LT(first_event, got.size());
  EXPECT_EQ(ends, 3u);
  EXPECT_EQ(got[first_event].header.ssrc, got[0].header.ssrc);
  for (std::size_t i = 1; i < got.size(); ++i) {
    EXPECT_EQ(static_cast<uint16_t>(got[i - 1].header.sequence + 1), got[i].header.sequence);
  }
  EXPECT_EQ(conf.hub().stats(conf.call(1).stream.id)->dtmf_out, 1u);
}

TEST(MediaHubDtmfTest, SendDtmfNeedsAnAgreedTelephoneEvent) {
  HubConference conf(2);
  EXPECT_EQ(conf.hub().send_dtmf(conf.call(0).stream.id, '1').code(),
            StatusCode::kFailedPrecondition);  // not started
  StreamParams p = conf.params(0);
  p.telephone_event_pt.reset();
  ASSERT_TRUE(conf.hub().start(conf.call(0).stream.id, p));
  EXPECT_EQ(conf.hub().send_dtmf(conf.call(0).stream.id, '1').code(),
            StatusCode::kFailedPrecondition);
  ASSERT_TRUE(conf.hub().start(conf.call(1).stream.id, conf.params(1)));
  EXPECT_EQ(conf.hub().send_dtmf(conf.call(1).stream.id, 'x').code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tutti::media::test
