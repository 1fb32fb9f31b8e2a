// make_offer() and accept_answer(): tutti dialling out.
#include <gtest/gtest.h>

#include <string>

#include "tutti/sdp/sdp.h"

namespace tutti::sdp {
namespace {

LocalMedia tutti_side() {
  LocalMedia local;
  local.address = "198.51.100.7";
  local.port = 30000;
  local.session_id = 99;
  local.session_version = 3;
  return local;
}

Negotiated accept_ok(const std::string& answer_text, const LocalMedia& local = tutti_side()) {
  auto parsed = parse(answer_text);
  EXPECT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  if (!parsed.is_ok()) return {};
  auto negotiated = accept_answer(local, *parsed);
  EXPECT_TRUE(negotiated.is_ok()) << negotiated.status().to_string();
  return negotiated.is_ok() ? *negotiated : Negotiated{};
}

TEST(SdpOffer, EveryLocalCodecWithTheUsualPayloadTypes) {
  const std::string offer = make_offer(tutti_side());
  EXPECT_EQ(offer,
            "v=0\r\n"
            "o=tutti 99 3 IN IP4 198.51.100.7\r\n"
            "s=tutti\r\n"
            "c=IN IP4 198.51.100.7\r\n"
            "t=0 0\r\n"
            "m=audio 30000 RTP/AVP 111 9 0 8 101 110\r\n"
            "a=rtpmap:111 opus/48000/2\r\n"
            "a=fmtp:111 useinbandfec=1;usedtx=1\r\n"
            "a=rtpmap:9 G722/8000\r\n"
            "a=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:8 PCMA/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\n"
            "a=fmtp:101 0-16\r\n"
            "a=rtpmap:110 telephone-event/48000\r\n"
            "a=fmtp:110 0-16\r\n"
            "a=ptime:20\r\n"
            "a=extmap:1/recvonly urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"
            "a=sendrecv\r\n");
}

TEST(SdpOffer, FollowsLocalChoices) {
  LocalMedia local = tutti_side();
  local.codecs = {"PCMA", "nonsense", "pcma"};
  local.telephone_event = false;
  local.audio_level = false;
  local.ptime_ms = 40;
  local.direction = Direction::kSendOnly;
  const std::string offer = make_offer(local);
  EXPECT_NE(offer.find("m=audio 30000 RTP/AVP 8\r\n"), std::string::npos) << offer;
  EXPECT_NE(offer.find("a=ptime:40\r\n"), std::string::npos);
  EXPECT_NE(offer.find("a=sendonly\r\n"), std::string::npos);
  EXPECT_EQ(offer.find("telephone-event"), std::string::npos);
  EXPECT_EQ(offer.find("extmap"), std::string::npos);
}

TEST(SdpOffer, NarrowbandOfferHasOnlyTheEightKilohertzTelephoneEvent) {
  LocalMedia local = tutti_side();
  local.codecs = {"G722", "PCMU"};
  EXPECT_NE(make_offer(local).find("m=audio 30000 RTP/AVP 9 0 101\r\n"), std::string::npos);
}

TEST(SdpOffer, AnswerPicksTheCodecTheFarEndListsFirst) {
  const Negotiated n = accept_ok(
      "v=0\r\no=- 5 5 IN IP4 203.0.113.9\r\ns=-\r\nc=IN IP4 203.0.113.9\r\nt=0 0\r\n"
      "m=audio 41000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\n"
      "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:30\r\n"
      "a=extmap:1/sendonly urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\na=recvonly\r\n");
  EXPECT_EQ(n.codec.name, "PCMA");
  EXPECT_EQ(n.codec.payload_type, 8);
  EXPECT_EQ(n.telephone_event_pt, 101);
  EXPECT_EQ(n.remote_address, "203.0.113.9");
  EXPECT_EQ(n.remote_port, 41000);
  EXPECT_EQ(n.local, Direction::kSendOnly);
  EXPECT_EQ(n.audio_level_ext_id, 1);
  EXPECT_EQ(n.ptime_ms, 20);
}

TEST(SdpOffer, AnswerWithOpusKeepsItsTelephoneEventClock) {
  const Negotiated n = accept_ok(
      "v=0\nc=IN IP4 203.0.113.9\nm=audio 41000 RTP/AVP 111 110\n"
      "a=rtpmap:111 opus/48000/2\na=rtpmap:110 telephone-event/48000\n");
  EXPECT_EQ(n.codec.name, "opus");
  EXPECT_EQ(n.telephone_event_pt, 110);
  EXPECT_EQ(n.telephone_event_clock_hz, 48000);
  EXPECT_EQ(n.local, Direction::kSendRecv);
}

TEST(SdpOffer, RefusedOrForeignAnswersFail) {
  const LocalMedia local = tutti_side();
  auto refused = parse("v=0\nc=IN IP4 203.0.113.9\nm=audio 0 RTP/AVP 0\n");
  ASSERT_TRUE(refused.is_ok());
  EXPECT_EQ(accept_answer(local, *refused).status().message(), "the answer refused audio");
  auto foreign = parse("v=0\nc=IN IP4 203.0.113.9\nm=audio 41000 RTP/AVP 18\n");
  ASSERT_TRUE(foreign.is_ok());
  EXPECT_FALSE(accept_answer(local, *foreign).is_ok());
}

TEST(SdpOffer, TuttiAnswersItsOwnOffer) {
  LocalMedia caller = tutti_side();
  LocalMedia callee = tutti_side();
  callee.address = "2001:db8::5";
  callee.port = 31000;
  callee.codecs = {"G722", "opus"};
  callee.direction = Direction::kRecvOnly;
  auto offer = parse(make_offer(caller));
  ASSERT_TRUE(offer.is_ok()) << offer.status().to_string();
  auto answered = answer(*offer, callee);
  ASSERT_TRUE(answered.is_ok()) << answered.status().to_string();
  auto answer_sdp = parse(answered->sdp);
  ASSERT_TRUE(answer_sdp.is_ok()) << answer_sdp.status().to_string();
  auto accepted = accept_answer(caller, *answer_sdp);
  ASSERT_TRUE(accepted.is_ok()) << accepted.status().to_string();
  EXPECT_EQ(accepted->codec.name, "G722");
  EXPECT_EQ(accepted->codec.payload_type, 9);
  EXPECT_EQ(accepted->telephone_event_pt, 101);
  EXPECT_EQ(accepted->remote_address, "2001:db8::5");
  EXPECT_EQ(accepted->remote_port, 31000);
  EXPECT_EQ(answered->local, Direction::kRecvOnly);
  EXPECT_EQ(accepted->local, Direction::kSendOnly);
  // tutti reads levels and never sends them: neither side sends the extension.
  EXPECT_FALSE(answered->audio_level_ext_id.has_value());
  EXPECT_FALSE(accepted->audio_level_ext_id.has_value());
}

}  // namespace
}  // namespace tutti::sdp
