// parse(): what it reads from real-world offers, and how it refuses broken text.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>

#include "offers.h"
#include "tutti/sdp/sdp.h"

namespace tutti::sdp {
namespace {

using testing::crlf;

const AudioDescription& audio_of(const Result<SessionDescription>& parsed) {
  EXPECT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  EXPECT_TRUE(parsed->audio.has_value());
  return *parsed->audio;
}

std::string error_of(const std::string& text) {
  auto parsed = parse(text);
  EXPECT_FALSE(parsed.is_ok()) << text;
  if (parsed.is_ok()) return "";
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  return parsed.status().message();
}

TEST(SdpParse, SippUacOfferHasOnePcmuFormat) {
  auto parsed = parse(testing::kSippUac);
  const AudioDescription& audio = audio_of(parsed);
  EXPECT_EQ(parsed->origin_user, "user1");
  EXPECT_EQ(parsed->session_id, 53655765u);
  EXPECT_EQ(parsed->session_version, 2353687637u);
  EXPECT_EQ(parsed->origin_address, "127.0.1.1");
  EXPECT_EQ(audio.address, "127.0.1.1");
  EXPECT_EQ(audio.port, 6000);
  ASSERT_EQ(audio.formats.size(), 1u);
  EXPECT_EQ(audio.formats[0].name, "PCMU");
  EXPECT_EQ(audio.formats[0].clock_rate, 8000);
  EXPECT_EQ(audio.direction, Direction::kSendRecv);
  EXPECT_EQ(audio.ptime_ms, 0);
  EXPECT_EQ(parsed->other_media, 0);
}

TEST(SdpParse, BaresipOfferKeepsFmtpExtmapPtimeAndRtcpMux) {
  auto parsed = parse(crlf(testing::kBaresip));
  const AudioDescription& audio = audio_of(parsed);
  ASSERT_EQ(audio.formats.size(), 5u);
  EXPECT_EQ(audio.formats[0].name, "opus");
  EXPECT_EQ(audio.formats[0].clock_rate, 48000);
  EXPECT_EQ(audio.formats[0].channels, 2);
  EXPECT_EQ(audio.formats[0].fmtp, "stereo=1;sprop-stereo=1");
  EXPECT_EQ(audio.formats[4].name, "telephone-event");
  EXPECT_EQ(audio.formats[4].fmtp, "0-15");
  EXPECT_EQ(audio.audio_level_ext_id, 1);
  EXPECT_EQ(audio.ptime_ms, 20);
  EXPECT_TRUE(audio.rtcp_mux);
}

TEST(SdpParse, LinphoneOfferFillsStaticTypesAndCountsVideo) {
  auto parsed = parse(testing::kLinphone);
  const AudioDescription& audio = audio_of(parsed);
  ASSERT_EQ(audio.formats.size(), 9u);
  EXPECT_EQ(audio.formats[3].name, "PCMU");
  EXPECT_EQ(audio.formats[4].name, "PCMA");
  EXPECT_EQ(audio.formats[5].name, "G729");  // static, only an fmtp line
  EXPECT_EQ(audio.formats[5].fmtp, "annexb=yes");
  EXPECT_EQ(audio.formats[6].clock_rate, 48000);
  EXPECT_EQ(parsed->other_media, 1);
  ASSERT_EQ(parsed->other.size(), 1u);
  EXPECT_EQ(parsed->other[0].position, 1);
  EXPECT_EQ(parsed->other[0].media, "video");
  EXPECT_EQ(parsed->other[0].format, "96");
}

TEST(SdpParse, StaticPayloadTypesFollowRfc3551) {
  auto parsed = parse("v=0\nc=IN IP4 10.0.0.1\nm=audio 4000 RTP/AVP 0 3 8 9 18 13\n");
  const AudioDescription& audio = audio_of(parsed);
  const char* names[] = {"PCMU", "GSM", "PCMA", "G722", "G729", "CN"};
  ASSERT_EQ(audio.formats.size(), 6u);
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(audio.formats[i].name, names[i]);
    EXPECT_EQ(audio.formats[i].clock_rate, 8000) << "G.722 too, as RFC 3551 says";
  }
}

TEST(SdpParse, CrlfLfAndTrailingBlanksReadTheSame) {
  const std::string blanks = "v=0 \r\nc=IN IP4 10.0.0.1\t\r\nm=audio 4000 RTP/AVP 8  \r\n\r\n";
  for (const std::string& text :
       {std::string("v=0\nc=IN IP4 10.0.0.1\nm=audio 4000 RTP/AVP 8"), blanks}) {
    auto parsed = parse(text);
    const AudioDescription& audio = audio_of(parsed);
    EXPECT_EQ(audio.address, "10.0.0.1");
    ASSERT_EQ(audio.formats.size(), 1u);
    EXPECT_EQ(audio.formats[0].name, "PCMA");
  }
}

TEST(SdpParse, MediaConnectionWinsOverSessionConnection) {
  auto parsed = parse("v=0\nc=IN IP4 10.0.0.1\nm=audio 4000 RTP/AVP 0\nc=IN IP4 10.0.0.2\n");
  EXPECT_EQ(audio_of(parsed).address, "10.0.0.2");
}

TEST(SdpParse, Ip6ConnectionIsRead) {
  auto parsed = parse("v=0\nc=IN IP6 2001:db8::7\nm=audio 4000 RTP/AVP 0\n");
  EXPECT_EQ(audio_of(parsed).address, "2001:db8::7");
}

TEST(SdpParse, SessionDirectionAppliesUnlessTheStreamSaysOtherwise) {
  const std::string session = "v=0\nc=IN IP4 10.0.0.1\na=sendonly\nm=audio 4000 RTP/AVP 0\n";
  EXPECT_EQ(audio_of(parse(session)).direction, Direction::kSendOnly);
  EXPECT_EQ(audio_of(parse(session + "a=inactive\n")).direction, Direction::kInactive);
}

TEST(SdpParse, ExtmapWithDirectionAndVadAttribute) {
  auto parsed = parse(
      "v=0\nc=IN IP4 10.0.0.1\nm=audio 4000 RTP/AVP 0\n"
      "a=extmap:2 urn:ietf:params:rtp-hdrext:sdes:mid\n"
      "a=extmap:5/sendonly urn:ietf:params:rtp-hdrext:ssrc-audio-level vad=on\n");
  const AudioDescription& audio = audio_of(parsed);
  EXPECT_EQ(audio.audio_level_ext_id, 5);
  EXPECT_EQ(audio.audio_level_direction, Direction::kSendOnly);
}

TEST(SdpParse, OnlyTheFirstAudioStreamIsRead) {
  auto parsed = parse(
      "v=0\nc=IN IP4 10.0.0.1\nm=video 5000 RTP/AVP 96\na=rtpmap:96 H264/90000\n"
      "m=audio 4000 RTP/AVP 8\nm=audio 4002 RTP/AVP 0\na=sendonly\n");
  const AudioDescription& audio = audio_of(parsed);
  EXPECT_EQ(audio.port, 4000);
  EXPECT_EQ(audio.direction, Direction::kSendRecv);
  ASSERT_EQ(parsed->other.size(), 2u);
  EXPECT_EQ(parsed->other[0].position, 0);
  EXPECT_EQ(parsed->other[1].position, 2);
  EXPECT_EQ(parsed->other[1].media, "audio");
}

TEST(SdpParse, NoAudioLineIsNotAnError) {
  auto parsed = parse("v=0\nc=IN IP4 10.0.0.1\nm=video 5000 RTP/AVP 96\n");
  ASSERT_TRUE(parsed.is_ok());
  EXPECT_FALSE(parsed->audio.has_value());
  EXPECT_EQ(parsed->other_media, 1);
}

TEST(SdpParse, BrokenLinesAreRefusedWithTheirNumber) {
  const std::string head = "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\n";
  EXPECT_EQ(error_of(head + "m=audio x RTP/AVP 0\n"),
            "line 6: m=: port is not a number below 65536");
  EXPECT_EQ(error_of(head + "m=audio 70000 RTP/AVP 0\n"),
            "line 6: m=: port is not a number below 65536");
  EXPECT_EQ(error_of(head + "m=audio 4000 RTP/AVP\n"),
            "line 6: m=: expected <media> <port> <proto> <fmt>..");
  EXPECT_EQ(error_of(head + "m=audio 4000 RTP/AVP 0 128\n"),
            "line 6: m=audio: format is not a payload type 0..127");
  EXPECT_EQ(error_of(head + "m=audio 4000 RTP/AVP 96\na=rtpmap:96 opus\n"),
            "line 7: a=rtpmap: expected <encoding>/<clock rate>[/<channels>]");
  EXPECT_EQ(error_of(head + "m=audio 4000 RTP/AVP 0\na=ptime:fast\n"),
            "line 7: a=ptime: not a number of milliseconds 1..1000");
  EXPECT_EQ(error_of(head + "m=audio 4000 RTP/AVP 0\na=extmap:x urn:a\n"),
            "line 7: a=extmap: id is not a number");
  EXPECT_EQ(error_of("v=0\nc=IN IP4 10.0.0.300\n"), "line 2: c=: not a numeric IP4 address");
  EXPECT_EQ(error_of("v=0\nc=IN IP4 pbx.example.com\n"), "line 2: c=: not a numeric IP4 address");
  EXPECT_EQ(error_of("v=0\nc=IN IP6 10.0.0.1\n"), "line 2: c=: not a numeric IP6 address");
  EXPECT_EQ(error_of("v=0\nc=ATM NSAP 47\n"), "line 2: c=: network type is not IN");
  EXPECT_EQ(error_of("v=0\no=- x 1 IN IP4 h\n"),
            "line 2: o=: session id or version is not a number");
  EXPECT_EQ(error_of("v=0\nm=audio 4000 RTP/AVP 0\n"),
            "line 2: m=audio: no c= line for the stream or the session");
}

TEST(SdpParse, GarbageIsRefused) {
  EXPECT_EQ(error_of(""), "empty SDP: no v= line");
  EXPECT_EQ(error_of("\r\n\r\n"), "empty SDP: no v= line");
  EXPECT_EQ(error_of("hello world"), "line 1: expected <type>=<value>");
  EXPECT_EQ(error_of("s=-\nv=0\n"), "line 1: expected v=0 first");
  EXPECT_EQ(error_of("v=1\n"), "line 1: v=: version is not 0");
  EXPECT_EQ(error_of("v=0\nv=0\n"), "line 2: v= repeated");
  EXPECT_EQ(error_of("v=0\nX=1\n"), "line 2: expected <type>=<value>");
  EXPECT_EQ(error_of(std::string("v=0\ns=a\0b\n", 10)), "line 2: control character");
  EXPECT_EQ(error_of("v=0\ns=a\rb\n"), "line 2: control character");
}

TEST(SdpParse, TruncatedOffersNeverReadPastTheirEnd) {
  const std::string offer = crlf(testing::kLinphone);
  for (std::size_t length = 0; length <= offer.size(); ++length) {
    // A heap block of exactly `length` bytes (no terminator), so that ASan sees any read past it.
    const auto cut = std::make_unique<char[]>(length);
    std::copy_n(offer.data(), length, cut.get());
    auto parsed = parse(std::string_view(cut.get(), length));
    if (!parsed.is_ok()) {
      EXPECT_NE(parsed.status().message(), "") << length;
    }
  }
}

TEST(SdpParse, HugeInputIsRefusedBeforeReading) {
  std::string huge = "v=0\n";
  while (huge.size() <= kMaxSdpBytes) huge += "a=x-padding:0123456789012345678901234567890123\n";
  auto parsed = parse(huge);
  ASSERT_FALSE(parsed.is_ok());
  EXPECT_NE(parsed.status().message().find("larger than the limit"), std::string::npos);
}

TEST(SdpParse, TooManyFormatsOrMediaLinesAreRefused) {
  std::string formats = "v=0\nc=IN IP4 10.0.0.1\nm=audio 4000 RTP/AVP";
  for (int pt = 0; pt <= static_cast<int>(kMaxFormats); ++pt) {
    formats += ' ';
    formats += std::to_string(pt);
  }
  EXPECT_EQ(error_of(formats), "line 3: m=audio: more than 64 formats");

  std::string lines = "v=0\n";
  for (std::size_t i = 0; i <= kMaxMediaLines; ++i) lines += "m=video 5000 RTP/AVP 96\n";
  EXPECT_EQ(error_of(lines), "line 34: more than 32 m= lines");
}

}  // namespace
}  // namespace tutti::sdp
