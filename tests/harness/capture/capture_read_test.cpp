// read_capture() on captures written at test time: two callers dial 1000, send PCMU and keypad
// digits, one loses packets; the model must hold what they did, whatever the link layer, the
// address family or the file format.
#include <gtest/gtest.h>

#include <filesystem>

#include "call_generator.h"
#include "tutti/capture/capture.h"

namespace tutti::capture {
namespace {

using testing::CallScript;
using testing::CaptureWriter;
using testing::Link;

struct Variant {
  Link link = Link::kEthernet;
  bool ipv6 = false;
  bool pcapng = false;
};

std::string variant_name(const ::testing::TestParamInfo<Variant>& info) {
  return std::string(testing::link_name(info.param.link)) + (info.param.ipv6 ? "Ipv6" : "Ipv4") +
         (info.param.pcapng ? "Pcapng" : "Pcap");
}

std::filesystem::path temp_file(const std::string& name) {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string unique = std::string(test->test_suite_name()) + "_" + test->name() + "_" + name;
  for (char& c : unique) {
    if (c == '/') c = '_';
  }
  return std::filesystem::temp_directory_path() / ("tutti_capture_" + unique);
}

CallScript caller(int n, bool ipv6) {
  CallScript s;
  s.call_id = "call-" + std::to_string(n) + "@test";
  s.from_user = n == 1 ? "alice" : "bob";
  s.from_display = n == 1 ? "Alice Example" : "Bob";
  const std::string host = ipv6 ? "2001:db8::" + std::to_string(n) : "10.0.0." + std::to_string(n);
  const std::string server = ipv6 ? "2001:db8::100" : "10.0.0.100";
  s.caller_sip = {host, 5060};
  s.caller_media = {host, static_cast<uint16_t>(4000 + 2 * n)};
  s.server_sip = {server, 5060};
  s.server_media = {server, static_cast<uint16_t>(20000 + 2 * n)};
  s.invite_time = 1700000000.0 + 0.3 * n;  // the calls overlap
  s.digits = "12#";
  s.compact_headers = n == 2;
  if (n == 2) s.lost_frames = {5, 6, 45};
  return s;
}

class CaptureReadTest : public ::testing::TestWithParam<Variant> {
 protected:
  void SetUp() override {
    const Variant v = GetParam();
    first_ = caller(1, v.ipv6);
    second_ = caller(2, v.ipv6);
    CaptureWriter writer(v.link);
    testing::add_call(writer, first_);
    testing::add_call(writer, second_);
    path_ = temp_file(v.pcapng ? "calls.pcapng" : "calls.pcap");
    v.pcapng ? writer.write_pcapng(path_) : writer.write_pcap(path_);
    frames_ = writer.frame_count();
    auto result = read_capture(path_.string());
    ASSERT_TRUE(result.is_ok()) << result.status().to_string();
    capture_ = std::move(result.value());
    ASSERT_EQ(capture_.calls.size(), 2u);
  }
  void TearDown() override { std::filesystem::remove(path_); }

  CallScript first_, second_;
  std::filesystem::path path_;
  std::size_t frames_ = 0;
  Capture capture_;
};

TEST_P(CaptureReadTest, EveryPacketIsReadAndNothingIsSkipped) {
  EXPECT_EQ(capture_.format, GetParam().pcapng ? "pcapng" : "pcap");
  EXPECT_EQ(capture_.packets_read, frames_);
  EXPECT_EQ(capture_.udp_datagrams, frames_);
  const CaptureWarnings& w = capture_.warnings;
  EXPECT_FALSE(w.truncated);
  EXPECT_EQ(w.non_ip + w.non_udp + w.fragments + w.malformed + w.snapped, 0u);
  EXPECT_EQ(w.sip_unparsed + w.rtp_without_sdp + w.other_udp, 0u);
  EXPECT_TRUE(w.messages.empty()) << w.messages.front();
}

TEST_P(CaptureReadTest, BothCallersDialledTheirNumberInInviteOrder) {
  for (std::size_t i = 0; i < 2; ++i) {
    const CapturedCall& call = capture_.calls[i];
    const CallScript& script = i == 0 ? first_ : second_;
    EXPECT_EQ(call.call_id, script.call_id);
    EXPECT_EQ(call.number, "1000");
    EXPECT_EQ(call.from_user, script.from_user);
    EXPECT_EQ(call.from_display, script.from_display);
    EXPECT_NEAR(call.invite_time, script.invite_time, 1e-6);
    EXPECT_NEAR(call.answer_time, script.answer_time(), 1e-6);
    EXPECT_NEAR(call.bye_time, script.bye_time(), 1e-6);
    EXPECT_TRUE(call.bye_from_caller);
    EXPECT_EQ(call.final_status, 200);
    EXPECT_EQ(call.caller_sip, script.caller_sip);
    EXPECT_EQ(call.caller_media, script.caller_media);
    EXPECT_EQ(call.server_media, script.server_media);
  }
}

TEST_P(CaptureReadTest, CodecAndTelephoneEventComeFromTheSdp) {
  for (const CapturedCall& call : capture_.calls) {
    EXPECT_EQ(call.codec.name, "PCMU");
    EXPECT_EQ(call.codec.payload_type, 0);
    EXPECT_EQ(call.codec.clock_rate, 8000);
    EXPECT_EQ(call.telephone_event_pt, testing::kTelephoneEventPt);
    ASSERT_TRUE(call.offer.has_value());
    ASSERT_TRUE(call.answer.has_value());
  }
}

TEST_P(CaptureReadTest, SentStreamHoldsWhatTheCallerSent) {
  const CapturedCall& call = capture_.calls[0];
  ASSERT_EQ(call.sent.size(), first_.sent_packets());
  EXPECT_EQ(call.sent_summary.packets, first_.sent_packets());
  EXPECT_EQ(call.sent_summary.lost, 0);
  EXPECT_NEAR(call.sent_summary.jitter_ms, 0.0, 0.05);
  EXPECT_NEAR(call.sent.front().time, first_.media_start(), 1e-6);
  EXPECT_EQ(call.sent.front().sequence, 1000);
  EXPECT_EQ(call.sent.front().payload_type, 0);
  EXPECT_TRUE(call.sent.front().marker);
  EXPECT_EQ(call.sent.front().payload.size(), 160u);
  EXPECT_EQ(call.sent.back().sequence, 1000 + first_.sent_packets() - 1);
  EXPECT_EQ(call.sent_summary.source, first_.caller_media);
  EXPECT_EQ(call.sent_summary.destination, first_.server_media);
}

TEST_P(CaptureReadTest, LossyCallerReportsItsLostPackets) {
  const CapturedCall& call = capture_.calls[1];
  EXPECT_EQ(call.sent_summary.packets, second_.sent_packets());
  EXPECT_EQ(call.sent_summary.lost, 3);
  EXPECT_EQ(call.sent.size(), second_.sent_packets());
}

TEST_P(CaptureReadTest, ReceivedStreamIsWhatTheServerSentToTheCaller) {
  for (const CapturedCall& call : capture_.calls) {
    EXPECT_EQ(call.received_summary.packets, 50u);
    EXPECT_EQ(call.received_summary.lost, 0);
    EXPECT_EQ(call.received_summary.destination, call.caller_media);
    EXPECT_EQ(call.received_summary.source, call.server_media);
    EXPECT_TRUE(call.received_summary.digits.empty());
  }
}

TEST_P(CaptureReadTest, DigitsComeWithTheTimeTheirEventStarted) {
  for (std::size_t i = 0; i < 2; ++i) {
    const CapturedCall& call = capture_.calls[i];
    const CallScript& script = i == 0 ? first_ : second_;
    EXPECT_EQ(call.sent_summary.digits, "12#");
    ASSERT_EQ(call.digits.size(), 3u);
    for (std::size_t d = 0; d < 3; ++d) {
      EXPECT_EQ(call.digits[d].digit, script.digits[d]);
      EXPECT_EQ(call.digits[d].method, DigitMethod::kRfc4733);
      EXPECT_NEAR(call.digits[d].time, script.digit_time(d), 1e-6) << "digit " << d;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    LinkTypes, CaptureReadTest,
    ::testing::Values(Variant{Link::kEthernet, false, false}, Variant{Link::kEthernet, true, false},
                      Variant{Link::kEthernet, false, true}, Variant{Link::kNull, false, false},
                      Variant{Link::kNull, true, false}, Variant{Link::kLoop, false, false},
                      Variant{Link::kLoop, true, false}, Variant{Link::kRaw, false, false},
                      Variant{Link::kRaw, true, false}, Variant{Link::kLinuxSll, false, false},
                      Variant{Link::kLinuxSll2, true, false}),
    variant_name);

TEST(CaptureRead, SipInfoDigitsAreTheCallersAndCountOnceDespiteRetransmission) {
  CallScript script;
  script.info_digits = {'5', '#'};
  CaptureWriter writer;
  testing::add_call(writer, script);
  const auto path = temp_file("info.pcap");
  writer.write_pcap(path);
  auto capture = read_capture(path.string());
  std::filesystem::remove(path);
  ASSERT_TRUE(capture.is_ok()) << capture.status().to_string();
  ASSERT_EQ(capture->calls.size(), 1u);
  const auto& digits = capture->calls[0].digits;
  ASSERT_EQ(digits.size(), 2u);
  EXPECT_EQ(digits[0].digit, '5');
  EXPECT_EQ(digits[0].method, DigitMethod::kSipInfo);
  EXPECT_NEAR(digits[0].time, script.info_time(0), 1e-6);
  EXPECT_EQ(digits[1].digit, '#');
  EXPECT_NEAR(digits[1].time, script.info_time(1), 1e-6);
}

TEST(CaptureRead, SameMediaPortInTwoSuccessiveCallsGoesToTheLaterInvite) {
  CallScript first;
  CallScript second = first;  // same addresses and ports, as SIPp reuses them
  second.call_id = "call-2@test";
  second.invite_time = first.bye_time() + 1.0;
  second.frames = 20;
  CaptureWriter writer;
  testing::add_call(writer, first);
  testing::add_call(writer, second);
  const auto path = temp_file("reuse.pcap");
  writer.write_pcap(path);
  auto capture = read_capture(path.string());
  std::filesystem::remove(path);
  ASSERT_TRUE(capture.is_ok()) << capture.status().to_string();
  ASSERT_EQ(capture->calls.size(), 2u);
  EXPECT_EQ(capture->calls[0].sent.size(), 50u);
  EXPECT_EQ(capture->calls[1].sent.size(), 20u);
  EXPECT_EQ(capture->calls[1].received_summary.packets, 20u);
}

}  // namespace
}  // namespace tutti::capture
