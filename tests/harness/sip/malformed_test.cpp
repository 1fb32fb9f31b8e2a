// Bad input on the agent's SIP port: UDP garbage is counted and dropped, valid SIP around it is
// not counted, and TCP garbage makes libre close the connection (uncounted).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "sip_fixture.h"

namespace tutti::sip::testing {
namespace {

// A plain socket on 127.0.0.1 talking to the agent; every receive gives up after two seconds.
class PlainPeer {
 public:
  PlainPeer(int type, uint16_t agent_port) : fd_(socket(AF_INET, type, 0)) {
    agent_.sin_family = AF_INET;
    agent_.sin_port = htons(agent_port);
    agent_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sockaddr_in local = agent_;
    local.sin_port = 0;
    timeval timeout{2, 0};
    (void)setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    (void)bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof(local));
    socklen_t length = sizeof(local);
    (void)getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &length);
    port_ = ntohs(local.sin_port);
  }
  ~PlainPeer() { close(fd_); }
  PlainPeer(const PlainPeer&) = delete;
  PlainPeer& operator=(const PlainPeer&) = delete;

  bool connect_to_agent() {
    return connect(fd_, reinterpret_cast<const sockaddr*>(&agent_), sizeof(agent_)) == 0;
  }
  bool send_to_agent(const std::string& bytes) {
    const auto sent = sendto(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL,
                             reinterpret_cast<const sockaddr*>(&agent_), sizeof(agent_));
    return sent == static_cast<ssize_t>(bytes.size());
  }
  // One datagram (or stream read); "" on timeout or when the agent closed the connection.
  std::string receive() {
    char buffer[4096];
    const auto n = recv(fd_, buffer, sizeof(buffer), 0);
    return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : std::string();
  }
  // Stream: true once the agent closed the connection (false on data or after the timeout).
  bool closed_by_agent() {
    char byte = 0;
    return recv(fd_, &byte, 1, 0) == 0;
  }
  uint16_t port() const { return port_; }

 private:
  int fd_;
  sockaddr_in agent_{};
  uint16_t port_ = 0;
};

std::string options_from(uint16_t port, const std::string& via, const std::string& cseq) {
  const std::string peer = "127.0.0.1:" + std::to_string(port);
  return "OPTIONS sip:1000@127.0.0.1 SIP/2.0\r\n" + via + "\r\nFrom: <sip:probe@" + peer +
         ">;tag=1\r\nTo: <sip:1000@127.0.0.1>\r\nCall-ID: malformed-test-" + cseq +
         "\r\nCSeq: " + cseq + " OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
}

std::string via_of(uint16_t port) {
  return "Via: SIP/2.0/UDP 127.0.0.1:" + std::to_string(port) + ";rport;branch=z9hG4bK" +
         std::to_string(port);
}

// One of every kind libre 1.1.0 refuses to decode.
std::vector<std::string> garbage_datagrams(uint16_t port) {
  constexpr uint32_t kSeed = 4242;
  std::mt19937 random(kSeed);
  std::string noise(200, '\0');
  for (char& byte : noise) byte = static_cast<char>(random() & 0xff);
  return {
      "hello, this is not SIP",
      "INVITE sip:1000@127.0.0.1",                                      // a truncated start line
      "INVITE sip:1000@127.0.0.1 SIP/2.0\r\n" + via_of(port) + "\r\n",  // headers never end
      options_from(port, "Via: garbage", "1"),                          // bad Via
      options_from(port, via_of(port), "one"),                          // bad CSeq
      "GET / HTTP/1.1\r\nHost: tutti\r\n\r\n",
      "xyz",  // too short to be SIP, and not a CRLF keepalive
      noise,  // seeded random bytes
  };
}

// A STUN binding request (RFC 5389 header only): libre answers it, it is not malformed.
std::string stun_binding_request() {
  return std::string("\x00\x01\x00\x00\x21\x12\xa4\x42", 8) + "tutti-stun12";
}

TEST_F(SipAgentTest, GarbageDatagramsAreCountedAndValidSipIsNot) {
  PlainPeer peer(SOCK_DGRAM, agent_port_);
  const std::vector<std::string> garbage = garbage_datagrams(peer.port());
  for (const std::string& datagram : garbage) ASSERT_TRUE(peer.send_to_agent(datagram));
  ASSERT_TRUE(peer.send_to_agent("\r\n\r\n"));  // a keepalive
  ASSERT_TRUE(peer.send_to_agent(stun_binding_request()));
  // A valid OPTIONS last from the same socket: its 200 means everything before it was read.
  ASSERT_TRUE(peer.send_to_agent(options_from(peer.port(), via_of(peer.port()), "2")));
  std::string reply;
  for (int datagrams = 0; datagrams < 3 && reply.rfind("SIP/2.0", 0) != 0; ++datagrams) {
    reply = peer.receive();  // the STUN answer may come first
  }
  ASSERT_EQ(reply.rfind("SIP/2.0 200", 0), 0u) << reply;
  EXPECT_EQ(agent_->stats().malformed, garbage.size());

  EXPECT_EQ(run_uac("uac_options.xml"), 0);
  EXPECT_EQ(run_uac("uac_call_bye.xml"), 0);
  ASSERT_TRUE(handler_.wait_for("closed:200"));
  const AgentStats stats = agent_->stats();
  EXPECT_EQ(stats.malformed, garbage.size());
  EXPECT_EQ(stats.options, 2u);
  EXPECT_EQ(stats.invites, 1u);
  EXPECT_EQ(stats.bad_requests, 0u);
}

TEST_F(SipAgentTest, TcpGarbageClosesTheConnectionUncounted) {
  PlainPeer peer(SOCK_STREAM, agent_port_);
  ASSERT_TRUE(peer.connect_to_agent());
  ASSERT_TRUE(peer.send_to_agent("hello, this is not SIP\r\n\r\n"));
  EXPECT_TRUE(peer.closed_by_agent());
  EXPECT_EQ(run_uac("uac_options.xml"), 0);
  EXPECT_EQ(agent_->stats().malformed, 0u);
}

}  // namespace
}  // namespace tutti::sip::testing
