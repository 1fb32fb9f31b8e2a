// Issue 4: malformed SIP, SDP, RTP, RTCP and telephone-event packets are counted and dropped;
// calls in progress keep their audio; nothing crashes. A SIP request for a room the caller may
// not enter is refused with the right status: a locked room with 403 after a 183 prompt (here),
// an unknown number with 404 (DialPlan.UnknownNumberIs404 in dial_plan_test.cpp), a full room
// with 486 (DialPlan.FullRoomPlaysAPromptThenRefusesWith486).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "serve_fixture.h"

namespace tutti::e2e {
namespace {

constexpr double kAliceHz = 500.0;
constexpr double kBobHz = 700.0;
constexpr double kCarolHz = 900.0;
constexpr double kHeardDb = -40.0;

const RoomSpec kRoom{.name = "bad",
                     .number = "3400",
                     .pin = "",
                     .moderator_pin = "",
                     .max_participants = 0,
                     .moh = {},
                     .record = "",
                     .owner = "",
                     .entry_tones = false};

using Bytes = std::vector<uint8_t>;

// A plain UDP socket on 127.0.0.1 (an ephemeral port): the test's stranger on the network.
class UdpSocket {
 public:
  UdpSocket() {
    fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr = loopback(0);
    if (fd_ >= 0) bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~UdpSocket() { close(fd_); }
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;

  int port() const { return port_; }
  void send(const void* data, std::size_t size, int to_port) const {
    sockaddr_in to = loopback(to_port);
    sendto(fd_, data, size, 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
  }
  void send(const Bytes& b, int to_port) const { send(b.data(), b.size(), to_port); }
  void send(const std::string& s, int to_port) const { send(s.data(), s.size(), to_port); }
  // The next datagram as text, or "" after timeout.
  std::string receive(std::chrono::milliseconds timeout) const {
    pollfd p{.fd = fd_, .events = POLLIN, .revents = 0};
    if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return {};
    std::array<char, 4096> buf{};
    const ssize_t n = recv(fd_, buf.data(), buf.size(), 0);
    return n > 0 ? std::string(buf.data(), static_cast<std::size_t>(n)) : std::string();
  }

 private:
  static sockaddr_in loopback(int port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
  }
  int fd_ = -1;
  int port_ = 0;
};

// A 12-byte RTP header: version 2, no padding, extension or CSRC unless first_byte says so.
Bytes rtp_header(uint8_t first_byte, uint8_t payload_type, uint16_t seq, uint32_t ssrc) {
  Bytes b = {
      first_byte,          payload_type,        uint8_t(seq >> 8),  uint8_t(seq), 0, 0, 0x12, 0x34,
      uint8_t(ssrc >> 24), uint8_t(ssrc >> 16), uint8_t(ssrc >> 8), uint8_t(ssrc)};
  return b;
}

Bytes with_payload(Bytes header, std::size_t bytes, uint8_t fill) {
  header.insert(header.end(), bytes, fill);
  return header;
}

uint64_t counter(const Json& stats, const std::string& key) {
  const auto it = stats.find(key);
  return it != stats.end() && it->is_number_integer() ? it->get<uint64_t>() : 0;
}

std::string raw_invite(int sip_port, int local_port, const std::string& number,
                       const std::string& body) {
  const std::string host = "127.0.0.1:" + std::to_string(local_port);
  return "INVITE sip:" + number + "@127.0.0.1:" + std::to_string(sip_port) + " SIP/2.0\r\n" +
         "Via: SIP/2.0/UDP " + host + ";branch=z9hG4bK-bad-sdp-1;rport\r\n" +
         "From: \"mallory\" <sip:mallory@" + host + ">;tag=bad-sdp\r\n" + "To: <sip:" + number +
         "@127.0.0.1>\r\n" + "Call-ID: bad-sdp-" + std::to_string(local_port) + "@127.0.0.1\r\n" +
         "CSeq: 1 INVITE\r\n" + "Contact: <sip:mallory@" + host + ">\r\n" + "Max-Forwards: 70\r\n" +
         "Content-Type: application/sdp\r\n" + "Content-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

// The status of the first final response (>= 200) on `socket`, or 0 after timeout.
int final_status(const UdpSocket& socket, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    const std::string reply = socket.receive(100ms);
    if (reply.rfind("SIP/2.0 ", 0) != 0 || reply.size() < 11) continue;
    const int status = std::stoi(reply.substr(8, 3));
    if (status >= 200) return status;
  }
  return 0;
}

class BadInput : public ServeFixture {
 protected:
  Caller* alice_ = nullptr;
  Caller* bob_ = nullptr;

  void SetUp() override {
    ServeSpec spec;
    spec.rooms = {kRoom};
    start(spec);
    if (HasFatalFailure()) return;
    alice_ = join(kRoom, "alice", "", {{"hangup_ms", "19000"}});
    bob_ = join(kRoom, "bob", "", {{"hangup_ms", "19000"}});
    ASSERT_TRUE(alice_ && bob_);
    alice_->media->play_tone(kAliceHz);
    bob_->media->play_tone(kBobHz);
    ASSERT_TRUE(bob_->media->wait_for_tone(kAliceHz, kHeardDb, 5s)) << "bob never hears alice";
    ASSERT_TRUE(alice_->media->wait_for_tone(kBobHz, kHeardDb, 5s)) << "alice never hears bob";
  }

  Json stats() { return api().get("/api/stats").body; }

  // Polls /api/stats until `key` is above `before`.
  bool counter_rises(const std::string& key, uint64_t before) {
    return wait_until([&] { return counter(stats(), key) > before; }, 3s);
  }

  void expect_calls_unharmed() {
    EXPECT_TRUE(serve().process().running()) << "tutti serve died";
    EXPECT_TRUE(bob_->media->wait_for_tone(kAliceHz, kHeardDb, 2s)) << "bob lost alice";
    EXPECT_TRUE(alice_->media->wait_for_tone(kBobHz, kHeardDb, 2s)) << "alice lost bob";
    EXPECT_FALSE(alice_->sipp->logged("hangup=server"));
    EXPECT_FALSE(bob_->sipp->logged("hangup=server"));
  }
};

TEST_F(BadInput, MalformedRtpFromTheCallerIsCountedAndDropped) {
  const Json before = stats();
  ASSERT_TRUE(bob_->media->remote_port()) << "bob never learned the server's RTP port";
  const int server_rtp = *bob_->media->remote_port();
  const uint32_t ssrc = bob_->media->ssrc();
  RtpPeer& bob = *bob_->media;
  const std::vector<Bytes> malformed = {
      {0x80, 0x00, 0x00},                                     // shorter than a header
      with_payload(rtp_header(0x40, 0, 1, ssrc), 160, 0xFF),  // version 1
      with_payload(rtp_header(0x00, 0, 2, ssrc), 160, 0xFF),  // version 0
      with_payload(rtp_header(0x8F, 0, 3, ssrc), 8, 0xFF),    // 15 CSRCs, 2 present
      with_payload(rtp_header(0x90, 0, 4, ssrc), 2, 0x00),    // extension header cut
      [&] {  // a one-byte extension block claiming 255 words
        Bytes b = rtp_header(0x90, 0, 5, ssrc);
        b.insert(b.end(), {0xBE, 0xDE, 0x00, 0xFF, 0x10, 0x00, 0x00, 0x00});
        return with_payload(b, 160, 0xFF);
      }(),
      [&] {  // padding longer than the payload
        Bytes b = with_payload(rtp_header(0xA0, 0, 6, ssrc), 10, 0xFF);
        b.back() = 200;
        return b;
      }(),
  };
  for (const Bytes& packet : malformed) EXPECT_TRUE(bob.send_raw(packet, server_rtp));
  EXPECT_TRUE(
      counter_rises("rtp_malformed", counter(before, "rtp_malformed") + malformed.size() - 1))
      << "rtp_malformed did not count " << malformed.size() << " packets: " << stats().dump();

  // Telephone-events shorter than their 4 bytes, with the negotiated payload type.
  for (std::size_t bytes : {0u, 1u, 3u}) {
    EXPECT_TRUE(bob.send_raw(
        with_payload(rtp_header(0x80, kTelephoneEventPayloadType, 7, ssrc), bytes, 0x01),
        server_rtp));
  }
  EXPECT_TRUE(counter_rises("dtmf_malformed", counter(before, "dtmf_malformed") + 2))
      << stats().dump();

  // Payload types the SDP never offered (8 is PCMA, 96 and 127 dynamic).
  for (uint8_t pt : {uint8_t{8}, uint8_t{96}, uint8_t{127}}) {
    EXPECT_TRUE(bob.send_raw(with_payload(rtp_header(0x80, pt, 8, ssrc), 160, 0xFF), server_rtp));
  }
  EXPECT_TRUE(
      counter_rises("rtp_unknown_payload_type", counter(before, "rtp_unknown_payload_type") + 2))
      << stats().dump();
  expect_calls_unharmed();
}

TEST_F(BadInput, MalformedRtcpIsCountedAndDropped) {
  const Json before = stats();
  ASSERT_TRUE(bob_->media->remote_port());
  const int server_rtp = *bob_->media->remote_port();
  const std::vector<Bytes> garbage = {
      {0x12, 0x34},                                      // two stray bytes
      {0x80, 0xC8, 0x00, 0x50, 0x00, 0x00, 0x00, 0x01},  // an SR claiming 80 words, 8 bytes
      {0x40, 0xC9, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01},  // version 1 RR
      Bytes(64, 0xEE),                                   // noise
  };
  for (const Bytes& packet : garbage) EXPECT_TRUE(bob_->media->send_raw(packet, server_rtp + 1));
  // RTCP multiplexed on the RTP port (RFC 5761: packet type 200) with a broken length.
  EXPECT_TRUE(bob_->media->send_raw(Bytes{0x80, 0xC8, 0x00, 0x50, 0x00}, server_rtp));
  EXPECT_TRUE(counter_rises("rtcp_malformed", counter(before, "rtcp_malformed") + garbage.size()))
      << "rtcp_malformed did not count " << garbage.size() + 1 << " packets: " << stats().dump();
  expect_calls_unharmed();
}

TEST_F(BadInput, RtpFromAForeignSourceIsCountedAndDropped) {
  const Json before = stats();
  ASSERT_TRUE(bob_->media->remote_port());
  const int server_rtp = *bob_->media->remote_port();
  UdpSocket stranger;
  // Valid PCMU packets as loud as can be: if taken as bob's, alice would hear a change.
  for (uint16_t seq = 0; seq < 10; ++seq) {
    stranger.send(with_payload(rtp_header(0x80, 0, seq, 0xBAD0BAD0), 160, 0x80), server_rtp);
  }
  EXPECT_TRUE(counter_rises("rtp_foreign_source", counter(before, "rtp_foreign_source") + 9))
      << stats().dump();
  expect_calls_unharmed();
}

TEST_F(BadInput, GarbageSipIsDroppedAndBrokenSdpRefused) {
  const int sip_port = serve().sip_port();
  UdpSocket stranger;
  const std::vector<std::string> garbage = {
      std::string("\x00\x01\x02\x03\xff\xfe", 6),
      "hello\r\n\r\n",
      "INVITE sip:3400@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;bra",  // cut short
      "INVITE sip:3400@127.0.0.1 SIP/2.0\r\n\r\n",                              // no headers
      "SIP/2.0 200 OK\r\nCall-ID: nobody\r\n\r\n",                              // stray reply
      std::string(1400, 'A'),
      raw_invite(sip_port, stranger.port(), "3400", "v=0\r\n").substr(0, 120),  // truncated
  };
  for (const std::string& datagram : garbage) stranger.send(datagram, sip_port);
  // An INVITE whose SDP is broken is refused (488 Not Acceptable Here or 400 Bad Request).
  const std::string broken_sdp = "v=0\r\no=broken\r\nm=audio many RTP/AVP zero\r\nc=IN IP4\r\n";
  stranger.send(raw_invite(sip_port, stranger.port(), kRoom.number, broken_sdp), sip_port);
  const int status = final_status(stranger, 3s);
  EXPECT_TRUE(status == 488 || status == 400) << "broken SDP answered " << status;
  // Some final status came: ACK it, or the server retransmits it for 32 s.
  const std::string host = "127.0.0.1:" + std::to_string(stranger.port());
  stranger.send("ACK sip:" + kRoom.number + "@127.0.0.1:" + std::to_string(sip_port) +
                    " SIP/2.0\r\nVia: SIP/2.0/UDP " + host +
                    ";branch=z9hG4bK-bad-sdp-1;rport\r\nFrom: \"mallory\" <sip:mallory@" + host +
                    ">;tag=bad-sdp\r\nTo: <sip:" + kRoom.number +
                    "@127.0.0.1>\r\nCall-ID: bad-sdp-" + std::to_string(stranger.port()) +
                    "@127.0.0.1\r\nCSeq: 1 ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
                sip_port);
  expect_calls_unharmed();
  EXPECT_EQ(api().participants(kRoom.name).size(), 2u) << "a broken INVITE joined the room";

  // A new call still works and hears the room.
  Caller* carol = join(kRoom, "carol", "", {{"hangup_ms", "19000"}});
  ASSERT_NE(carol, nullptr);
  carol->media->play_tone(kCarolHz);
  EXPECT_TRUE(carol->media->wait_for_tone(kAliceHz, kHeardDb, 3s));
  EXPECT_TRUE(alice_->media->wait_for_tone(kCarolHz, kHeardDb, 3s));
}

TEST_F(BadInput, AfterEveryKindOfBadInputANewCallStillWorks) {
  ASSERT_TRUE(bob_->media->remote_port());
  const int server_rtp = *bob_->media->remote_port();
  const uint32_t ssrc = bob_->media->ssrc();
  UdpSocket stranger;
  for (int round = 0; round < 20; ++round) {
    const auto seq = static_cast<uint16_t>(round);
    bob_->media->send_raw(Bytes{0x80, 0x00, 0x00}, server_rtp);
    bob_->media->send_raw(with_payload(rtp_header(0x8F, 0, seq, ssrc), 4, 0), server_rtp);
    bob_->media->send_raw(with_payload(rtp_header(0x80, 101, seq, ssrc), 2, 0), server_rtp);
    bob_->media->send_raw(with_payload(rtp_header(0x80, 99, seq, ssrc), 160, 0xFF), server_rtp);
    bob_->media->send_raw(Bytes(16, 0xC9), server_rtp + 1);
    stranger.send(with_payload(rtp_header(0x80, 0, seq, 0xBAD0BAD0), 160, 0x80), server_rtp);
    stranger.send(std::string(200, char(round)), serve().sip_port());
    std::this_thread::sleep_for(10ms);
  }
  expect_calls_unharmed();
  Caller* carol = join(kRoom, "carol", "", {{"hangup_ms", "19000"}});
  ASSERT_NE(carol, nullptr);
  carol->media->play_tone(kCarolHz);
  EXPECT_TRUE(carol->media->wait_for_tone(kBobHz, kHeardDb, 3s));
  EXPECT_TRUE(bob_->media->wait_for_tone(kCarolHz, kHeardDb, 3s));
}

TEST_F(BadInput, LockedRoomRefusesWith403AfterAPrompt) {
  ASSERT_EQ(api().post("/api/rooms/" + kRoom.name + "/lock").status / 100, 2);
  Caller& carol = dial(kRoom.number, "carol", {}, "uac_refused.xml");
  EXPECT_EQ(carol.sipp->finish(8s), kSippAllCallsOk);
  EXPECT_TRUE(carol.sipp->wait_for_log(std::regex("early media=\\d+"), 0ms)) << "no 183 with SDP";
  EXPECT_TRUE(carol.sipp->logged("refused=403")) << carol.sipp->log();
  EXPECT_GT(carol.media->packets_received(), 0u) << "no prompt sent as early media";
  EXPECT_FALSE(api().participant(kRoom.name, "carol"));
  expect_calls_unharmed();
}

}  // namespace
}  // namespace tutti::e2e
