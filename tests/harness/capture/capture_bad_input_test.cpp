// Captures that are cut, foreign, or hold things a replay cannot use: each is refused with a
// clear Status or read with warnings, never a crash (this file also runs under ASan).
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>

#include "call_generator.h"
#include "tutti/capture/capture.h"

namespace tutti::capture {
namespace {

using testing::CallScript;
using testing::CaptureWriter;

class CaptureBadInputTest : public ::testing::Test {
 protected:
  std::filesystem::path file(const std::string& name) {
    // Appended piece by piece: "literal" + std::string trips GCC 12's false -Wrestrict at -O3.
    std::string leaf = "tutti_capture_bad_";
    leaf += ::testing::UnitTest::GetInstance()->current_test_info()->name();
    leaf += '_';
    leaf += name;
    paths_.push_back(std::filesystem::temp_directory_path() / leaf);
    return paths_.back();
  }
  void TearDown() override {
    for (const auto& p : paths_) std::filesystem::remove(p);
  }
  std::vector<std::filesystem::path> paths_;
};

bool mentions(const CaptureWarnings& w, const std::string& text) {
  for (const auto& m : w.messages) {
    if (m.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST_F(CaptureBadInputTest, TruncatedFileKeepsThePacketsBeforeTheCut) {
  CaptureWriter writer;
  testing::add_call(writer, CallScript{});
  const auto path = file("cut.pcap");
  writer.write_pcap(path);
  // The last frame is the 200 OK to BYE, a few hundred bytes: cut 40 bytes into its end.
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 40);
  auto capture = read_capture(path.string());
  ASSERT_TRUE(capture.is_ok()) << capture.status().to_string();
  EXPECT_TRUE(capture->warnings.truncated);
  EXPECT_TRUE(mentions(capture->warnings, "truncated")) << capture->warnings.messages.front();
  EXPECT_EQ(capture->packets_read, writer.frame_count() - 1);
  ASSERT_EQ(capture->calls.size(), 1u);
  EXPECT_EQ(capture->calls[0].number, "1000");
  EXPECT_TRUE(capture->calls[0].hung_up());  // the BYE came before the cut
}

TEST_F(CaptureBadInputTest, CutAnywhereIsAnErrorOrAPrefixNeverACrash) {
  CaptureWriter writer;
  CallScript script;
  script.frames = 10;
  script.digits.push_back('1');  // not = "1": GCC 12 -O3 warns a false -Wrestrict
  testing::add_call(writer, script);
  const auto whole = file("whole.pcap");
  writer.write_pcap(whole);
  const auto size = std::filesystem::file_size(whole);
  const auto cut = file("cut.pcap");
  for (std::uintmax_t length = 0; length < size; length += 13) {
    std::filesystem::copy_file(whole, cut, std::filesystem::copy_options::overwrite_existing);
    std::filesystem::resize_file(cut, length);
    auto capture = read_capture(cut.string());
    if (length < 24) {  // inside the file header
      EXPECT_FALSE(capture.is_ok()) << length;
      continue;
    }
    ASSERT_TRUE(capture.is_ok()) << length << ": " << capture.status().to_string();
    EXPECT_LT(capture->packets_read, writer.frame_count());
  }
}

TEST_F(CaptureBadInputTest, TextFileRenamedPcapIsRefusedWithAClearMessage) {
  const auto path = file("notes.pcap");
  std::ofstream(path) << "These are meeting notes, not a capture.\nSecond line.\n";
  const auto capture = read_capture(path.string());
  ASSERT_FALSE(capture.is_ok());
  EXPECT_EQ(capture.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(capture.status().message().find("not a pcap or pcapng capture"), std::string::npos)
      << capture.status().message();
  EXPECT_NE(capture.status().message().find(path.string()), std::string::npos);
}

TEST_F(CaptureBadInputTest, EmptyAndMissingFilesAreRefused) {
  const auto empty = file("empty.pcap");
  std::ofstream(empty).close();
  const auto from_empty = read_capture(empty.string());
  ASSERT_FALSE(from_empty.is_ok());
  EXPECT_EQ(from_empty.status().code(), StatusCode::kInvalidArgument);
  const auto from_missing = read_capture(file("missing.pcap").string());
  ASSERT_FALSE(from_missing.is_ok());
  EXPECT_EQ(from_missing.status().code(), StatusCode::kNotFound);
  const auto from_directory = read_capture(std::filesystem::temp_directory_path().string());
  EXPECT_FALSE(from_directory.is_ok());
}

TEST_F(CaptureBadInputTest, RtpWithoutSipIsReportedAndSkipped) {
  CaptureWriter writer;
  const std::array<uint8_t, 160> payload{};
  const Endpoint from{"192.0.2.1", 30000}, to{"192.0.2.2", 30002};
  for (int i = 0; i < 25; ++i) {
    writer.add_udp(1700000000.0 + i * 0.02, from, to,
                   testing::rtp_packet(static_cast<uint16_t>(i), i * 160u, 7, 0, false, payload));
  }
  const auto path = file("rtp_only.pcap");
  writer.write_pcap(path);
  auto capture = read_capture(path.string());
  ASSERT_TRUE(capture.is_ok()) << capture.status().to_string();
  EXPECT_TRUE(capture->calls.empty());
  EXPECT_EQ(capture->warnings.rtp_without_sdp, 25u);
  EXPECT_TRUE(mentions(capture->warnings, "192.0.2.1:30000 -> 192.0.2.2:30002 (25 packets)"));
  EXPECT_TRUE(mentions(capture->warnings, "no SDP"));
}

TEST_F(CaptureBadInputTest, GarbageSipIsCountedAndTheGoodCallStillFound) {
  CaptureWriter writer;
  CallScript script;
  testing::add_call(writer, script);
  const double t = script.invite_time + 0.05;
  const std::vector<std::string> garbage = {
      "INVITE sip:1000@10.0.0.100 SIP/2.0\r\nthis line has no colon\r\n\r\n",
      "SIP/2.0 200 OK\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nContent-Length: 9999\r\n\r\nv=0\r\n",
      "SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\n\r\n",                            // no Call-ID
      "BYE sip:1000@10.0.0.100 SIP/2.0\r\nCall-ID: y\r\nCSeq: BYE\r\n\r\n",  // bad CSeq
      "INFO sip:1@h SIP/2.0\r\n Folded: before any header\r\n\r\n",
      std::string("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: z\r\nCSeq: 1 OPTIONS\r\nContent-Length: "
                  "-5\r\n\r\n"),
  };
  for (const auto& text : garbage) writer.add_udp(t, script.caller_sip, script.server_sip, text);
  // A BYE for a dialog whose INVITE is not in the capture.
  writer.add_udp(t, script.caller_sip, script.server_sip,
                 testing::sip_message("BYE sip:1000@10.0.0.100 SIP/2.0",
                                      {"Call-ID: orphan", "CSeq: 2 BYE", "From: <sip:a@b>;tag=1"}));
  const auto path = file("garbage.pcap");
  writer.write_pcap(path);
  auto capture = read_capture(path.string());
  ASSERT_TRUE(capture.is_ok()) << capture.status().to_string();
  EXPECT_EQ(capture->warnings.sip_unparsed, garbage.size());
  EXPECT_TRUE(mentions(capture->warnings, "does not parse (Content-Length runs past"));
  EXPECT_EQ(capture->warnings.sip_without_invite, 1u);
  EXPECT_TRUE(mentions(capture->warnings, "Call-ID orphan"));
  ASSERT_EQ(capture->calls.size(), 1u);
  EXPECT_EQ(capture->calls[0].sent.size(), script.sent_packets());
}

TEST_F(CaptureBadInputTest, FragmentsNonUdpAndNonIpAreCountedNotRead) {
  CaptureWriter writer;
  const Endpoint a{"10.0.0.1", 5060}, b{"10.0.0.2", 5060};
  writer.add_ipv4_fragment(1.0, a, b);
  writer.add_ipv4_fragment(1.1, a, b);
  writer.add_tcp(1.2, a, b);
  writer.add_arp(1.3);
  writer.add_udp(1.4, a, b, std::string_view("\r\n\r\n"));  // a SIP keep-alive
  const auto path = file("mixed.pcap");
  writer.write_pcap(path);
  auto capture = read_capture(path.string());
  ASSERT_TRUE(capture.is_ok()) << capture.status().to_string();
  EXPECT_EQ(capture->packets_read, 5u);
  EXPECT_EQ(capture->warnings.fragments, 2u);
  EXPECT_EQ(capture->warnings.non_udp, 1u);
  EXPECT_EQ(capture->warnings.non_ip, 1u);
  EXPECT_EQ(capture->warnings.other_udp, 1u);
  EXPECT_TRUE(mentions(capture->warnings, "fragments"));
}

TEST_F(CaptureBadInputTest, RandomBytesInEveryFrameNeverCrash) {
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  for (const auto link : {testing::Link::kEthernet, testing::Link::kNull, testing::Link::kLinuxSll2,
                          testing::Link::kRaw}) {
    CaptureWriter writer(link);
    CallScript script;
    script.frames = 5;
    testing::add_call(writer, script);
    for (int i = 0; i < 200; ++i) {
      std::vector<uint8_t> payload(rng() % 300);
      for (auto& b : payload) b = static_cast<uint8_t>(rng());
      if (i % 3 == 0 && payload.size() > 2) payload[0] = 0x80;  // RTP-like
      writer.add_udp(script.invite_time + i * 0.001, script.caller_media, script.server_media,
                     payload);
    }
    const auto path = file("random.pcap");
    writer.write_pcap(path);
    auto capture = read_capture(path.string());
    ASSERT_TRUE(capture.is_ok()) << capture.status().to_string();
    EXPECT_EQ(capture->calls.size(), 1u);
  }
}

}  // namespace
}  // namespace tutti::capture
