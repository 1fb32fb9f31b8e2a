// answer(): the codec, telephone-event, direction and extension tutti agrees to, and its text.
#include <gtest/gtest.h>

#include <string>

#include "offers.h"
#include "tutti/sdp/sdp.h"

namespace tutti::sdp {
namespace {

LocalMedia tutti_side() {
  LocalMedia local;
  local.address = "198.51.100.7";
  local.port = 30000;
  local.session_id = 4242;
  local.session_version = 1;
  return local;
}

Negotiated answer_ok(const std::string& offer_text, const LocalMedia& local = tutti_side()) {
  auto offer = parse(offer_text);
  EXPECT_TRUE(offer.is_ok()) << offer.status().to_string();
  if (!offer.is_ok()) return {};
  auto negotiated = answer(*offer, local);
  EXPECT_TRUE(negotiated.is_ok()) << negotiated.status().to_string();
  return negotiated.is_ok() ? *negotiated : Negotiated{};
}

std::string answer_error(const std::string& offer_text, const LocalMedia& local = tutti_side()) {
  auto offer = parse(offer_text);
  EXPECT_TRUE(offer.is_ok()) << offer.status().to_string();
  if (!offer.is_ok()) return "";
  auto negotiated = answer(*offer, local);
  EXPECT_FALSE(negotiated.is_ok());
  return negotiated.is_ok() ? "" : negotiated.status().message();
}

std::string simple_offer(const std::string& formats, const std::string& extra = "") {
  return "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP " +
         formats + "\n" + extra;
}

TEST(SdpAnswer, OpusIsPickedFirstFromBaresip) {
  const Negotiated n = answer_ok(testing::kBaresip);
  EXPECT_EQ(n.codec.name, "opus");
  EXPECT_EQ(n.codec.payload_type, 111);
  EXPECT_EQ(n.codec.clock_rate, 48000);
  EXPECT_EQ(n.codec.fmtp, "stereo=1;sprop-stereo=1");  // the far end's wishes for tutti's sending
  EXPECT_EQ(n.telephone_event_pt, 101);  // no telephone-event/48000 offered: the 8000 one
  EXPECT_EQ(n.telephone_event_clock_hz, 8000);
  EXPECT_EQ(n.remote_address, "192.168.1.20");
  EXPECT_EQ(n.remote_port, 10150);
  EXPECT_EQ(n.audio_level_ext_id, 1);
  EXPECT_FALSE(n.rtcp_mux);
  EXPECT_EQ(n.sdp.find("rtcp-mux"), std::string::npos);
}

TEST(SdpAnswer, SippUacGetsPcmu) {
  const Negotiated n = answer_ok(testing::kSippUac);
  EXPECT_EQ(n.codec.name, "PCMU");
  EXPECT_EQ(n.codec.payload_type, 0);
  EXPECT_FALSE(n.telephone_event_pt.has_value());
  EXPECT_EQ(n.sdp.find("telephone-event"), std::string::npos);
}

TEST(SdpAnswer, LinphoneOpusGetsTelephoneEventAtItsClock) {
  const Negotiated n = answer_ok(testing::kLinphone);
  EXPECT_EQ(n.codec.payload_type, 96);
  EXPECT_EQ(n.telephone_event_pt, 101);
  EXPECT_EQ(n.telephone_event_clock_hz, 48000);

  LocalMedia narrowband = tutti_side();
  narrowband.codecs = {"PCMA", "PCMU"};
  const Negotiated pcma = answer_ok(testing::kLinphone, narrowband);
  EXPECT_EQ(pcma.codec.payload_type, 8);
  EXPECT_EQ(pcma.telephone_event_pt, 100);
  EXPECT_EQ(pcma.telephone_event_clock_hz, 8000);
}

TEST(SdpAnswer, LinphoneVideoIsRefusedInPlace) {
  const Negotiated n = answer_ok(testing::kLinphone);
  const auto audio = n.sdp.find("m=audio 30000 RTP/AVP 96 101\r\n");
  const auto video = n.sdp.find("m=video 0 RTP/AVP 96\r\n");
  ASSERT_NE(audio, std::string::npos) << n.sdp;
  ASSERT_NE(video, std::string::npos) << n.sdp;
  EXPECT_LT(audio, video);
}

TEST(SdpAnswer, VideoBeforeAudioStaysFirst) {
  const Negotiated n = answer_ok(
      "v=0\nc=IN IP4 10.0.0.1\nm=video 5000 RTP/SAVPF 96\nm=audio 4000 RTP/AVP 0\n"
      "m=application 5002 UDP/DTLS/SCTP webrtc-datachannel\n");
  const auto video = n.sdp.find("m=video 0 RTP/SAVPF 96\r\n");
  const auto audio = n.sdp.find("m=audio 30000 RTP/AVP 0\r\n");
  const auto data = n.sdp.find("m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\n");
  ASSERT_NE(video, std::string::npos) << n.sdp;
  EXPECT_LT(video, audio);
  EXPECT_LT(audio, data);
}

TEST(SdpAnswer, AsteriskPayloadType111IsNotOpus) {
  const Negotiated n = answer_ok(testing::kAsterisk);
  EXPECT_EQ(n.codec.name, "G722");
  EXPECT_EQ(n.codec.payload_type, 9);
  EXPECT_EQ(n.codec.clock_rate, 8000);
  EXPECT_EQ(n.telephone_event_pt, 101);
}

TEST(SdpAnswer, LocalPreferenceOrderDecides) {
  LocalMedia local = tutti_side();
  local.codecs = {"PCMU", "PCMA"};
  EXPECT_EQ(answer_ok(simple_offer("8 0"), local).codec.name, "PCMU");
  EXPECT_EQ(answer_ok(simple_offer("8"), local).codec.name, "PCMA");
}

TEST(SdpAnswer, PcmaOnlyOfferGetsPcma) {
  const Negotiated n = answer_ok(simple_offer("8", "a=rtpmap:8 PCMA/8000\n"));
  EXPECT_EQ(n.codec.name, "PCMA");
  EXPECT_NE(n.sdp.find("m=audio 30000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n"), std::string::npos)
      << n.sdp;
}

TEST(SdpAnswer, CodecNamesMatchCaseBlind) {
  const Negotiated n = answer_ok(simple_offer("97", "a=rtpmap:97 OPUS/48000/2\n"));
  EXPECT_EQ(n.codec.payload_type, 97);
  EXPECT_NE(n.sdp.find("a=rtpmap:97 opus/48000/2\r\n"), std::string::npos) << n.sdp;
}

TEST(SdpAnswer, NoCommonCodecIsRefused) {
  EXPECT_EQ(answer_error(simple_offer("18 3")), "no common codec");
  // opus must be opus/48000/2, G.722 G722/8000.
  EXPECT_EQ(answer_error(simple_offer("96 97", "a=rtpmap:96 opus/48000\na=rtpmap:97 G722/16000\n")),
            "no common codec");
  LocalMedia local = tutti_side();
  local.codecs = {"opus"};
  EXPECT_EQ(answer_error(testing::kAsterisk, local), "no common codec");
}

TEST(SdpAnswer, NoAudioStreamIsRefused) {
  EXPECT_EQ(answer_error("v=0\nc=IN IP4 10.0.0.1\nm=video 5000 RTP/AVP 96\n"), "no audio stream");
  EXPECT_EQ(answer_error("v=0\nc=IN IP4 10.0.0.1\nm=audio 0 RTP/AVP 0\n"), "no audio stream");
}

TEST(SdpAnswer, SecureProfilesAreRefused) {
  EXPECT_EQ(answer_error("v=0\nc=IN IP4 10.0.0.1\nm=audio 9 UDP/TLS/RTP/SAVPF 0\n"),
            "audio over UDP/TLS/RTP/SAVPF is not supported (tutti speaks RTP/AVP)");
  EXPECT_EQ(answer_ok("v=0\nc=IN IP4 10.0.0.1\nm=audio 9 RTP/AVPF 0\n").codec.name, "PCMU");
}

TEST(SdpAnswer, TelephoneEventPayloadTypeIsKept) {
  for (int pt : {96, 101, 127}) {
    const std::string te = std::to_string(pt);
    const Negotiated n =
        answer_ok(simple_offer("0 " + te, "a=rtpmap:" + te + " telephone-event/8000\n"));
    EXPECT_EQ(n.telephone_event_pt, pt);
    EXPECT_NE(n.sdp.find("a=rtpmap:" + te + " telephone-event/8000\r\na=fmtp:" + te + " 0-16\r\n"),
              std::string::npos)
        << n.sdp;
  }
  LocalMedia no_dtmf = tutti_side();
  no_dtmf.telephone_event = false;
  EXPECT_FALSE(answer_ok(testing::kAsterisk, no_dtmf).telephone_event_pt.has_value());
}

struct DirectionCase {
  const char* offer_attribute;
  const char* address;
  Direction local;
};

TEST(SdpAnswer, DirectionIsAnswered) {
  const DirectionCase cases[] = {
      {"a=sendrecv", "10.0.0.1", Direction::kSendRecv},
      {"", "10.0.0.1", Direction::kSendRecv},
      {"a=sendonly", "10.0.0.1", Direction::kRecvOnly},
      {"a=recvonly", "10.0.0.1", Direction::kSendOnly},
      {"a=inactive", "10.0.0.1", Direction::kInactive},
      {"a=sendrecv", "0.0.0.0", Direction::kRecvOnly},  // RFC 2543 hold: do not send to them
      {"a=sendonly", "0.0.0.0", Direction::kRecvOnly},
      {"a=recvonly", "0.0.0.0", Direction::kInactive},
  };
  for (const DirectionCase& c : cases) {
    const std::string offer = std::string("v=0\nc=IN IP4 ") + c.address +
                              "\nm=audio 4000 RTP/AVP 0\n" + c.offer_attribute + "\n";
    const Negotiated n = answer_ok(offer);
    EXPECT_EQ(n.local, c.local) << offer;
    EXPECT_NE(n.sdp.find(std::string("a=") + direction_name(c.local) + "\r\n"), std::string::npos);
  }
}

TEST(SdpAnswer, LocalDirectionLimitsTheAnswer) {
  LocalMedia listen_only = tutti_side();
  listen_only.direction = Direction::kRecvOnly;
  EXPECT_EQ(answer_ok(testing::kSippUac, listen_only).local, Direction::kRecvOnly);
  EXPECT_EQ(answer_ok(simple_offer("0", "a=recvonly\n"), listen_only).local, Direction::kInactive);
}

TEST(SdpAnswer, AudioLevelExtensionIdIsKept) {
  const std::string level = " urn:ietf:params:rtp-hdrext:ssrc-audio-level";
  const Negotiated n = answer_ok(simple_offer("0", "a=extmap:7" + level + " vad=on\n"));
  EXPECT_EQ(n.audio_level_ext_id, 7);
  EXPECT_NE(n.sdp.find("a=extmap:7/recvonly" + level + "\r\n"), std::string::npos) << n.sdp;

  // The offerer would not send levels, or tutti does not want them.
  EXPECT_FALSE(answer_ok(simple_offer("0", "a=extmap:7/recvonly" + level + "\n"))
                   .audio_level_ext_id.has_value());
  LocalMedia no_levels = tutti_side();
  no_levels.audio_level = false;
  const Negotiated refused = answer_ok(testing::kBaresip, no_levels);
  EXPECT_FALSE(refused.audio_level_ext_id.has_value());
  EXPECT_EQ(refused.sdp.find("extmap"), std::string::npos);
}

TEST(SdpAnswer, PtimeIsTuttisOwn) {
  LocalMedia local = tutti_side();
  local.ptime_ms = 20;
  const Negotiated n = answer_ok(simple_offer("0", "a=ptime:30\n"), local);
  EXPECT_EQ(n.ptime_ms, 20);
  EXPECT_NE(n.sdp.find("a=ptime:20\r\n"), std::string::npos);
}

TEST(SdpAnswer, SessionLinesNameTutti) {
  const Negotiated n = answer_ok(testing::kSippUac);
  EXPECT_EQ(n.sdp.rfind(
                "v=0\r\no=tutti 4242 1 IN IP4 198.51.100.7\r\ns=tutti\r\nc=IN IP4 198.51.100.7\r\n"
                "t=0 0\r\nm=audio 30000 RTP/AVP 0\r\n",
                0),
            0u)
      << n.sdp;
}

TEST(SdpAnswer, Ip6OnBothSides) {
  LocalMedia local = tutti_side();
  local.address = "2001:db8::1";
  const Negotiated n = answer_ok("v=0\nc=IN IP6 2001:db8::2\nm=audio 4000 RTP/AVP 8\n", local);
  EXPECT_EQ(n.remote_address, "2001:db8::2");
  EXPECT_NE(n.sdp.find("c=IN IP6 2001:db8::1\r\n"), std::string::npos) << n.sdp;
  EXPECT_EQ(answer_error(testing::kSippUac, LocalMedia{}),
            "local address '' is not a numeric IP address");
}

TEST(SdpAnswer, AnswerTextParsesBackToTheSameAgreement) {
  for (const std::string* offer :
       {&testing::kSippUac, &testing::kBaresip, &testing::kLinphone, &testing::kAsterisk}) {
    const Negotiated n = answer_ok(*offer);
    auto back = parse(n.sdp);
    ASSERT_TRUE(back.is_ok()) << back.status().to_string() << "\n" << n.sdp;
    const AudioDescription& audio = *back->audio;
    EXPECT_EQ(back->session_id, 4242u);
    EXPECT_EQ(audio.address, "198.51.100.7");
    EXPECT_EQ(audio.port, 30000);
    ASSERT_GE(audio.formats.size(), 1u);
    EXPECT_EQ(audio.formats[0].payload_type, n.codec.payload_type);
    EXPECT_EQ(audio.formats[0].name, n.codec.name);
    EXPECT_EQ(audio.formats[0].clock_rate, n.codec.clock_rate);
    EXPECT_EQ(audio.formats[0].channels, n.codec.channels);
    EXPECT_EQ(audio.formats.size(), n.telephone_event_pt ? 2u : 1u);
    EXPECT_EQ(audio.direction, n.local);
    EXPECT_EQ(audio.ptime_ms, n.ptime_ms);
    EXPECT_EQ(audio.audio_level_ext_id, n.audio_level_ext_id);
    EXPECT_FALSE(audio.rtcp_mux);
    EXPECT_EQ(back->other_media, parse(*offer)->other_media);
  }
}

}  // namespace
}  // namespace tutti::sdp
