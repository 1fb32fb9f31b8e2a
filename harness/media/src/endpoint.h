// A UDP address (IPv4 or IPv6) as the socket calls take it, parsed from numeric text only: the
// media path never resolves names.
//
// Threads: a plain value; parse on the control thread, compare and copy anywhere (no allocation).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>

namespace tutti::media::detail {

class Endpoint {
 public:
  Endpoint() = default;
  // Copies what recvmmsg() reported; an unknown family or a short length gives an invalid one.
  static Endpoint from(const sockaddr* address, socklen_t length);

  bool valid() const { return length_ != 0; }
  int family() const { return storage_.ss_family; }
  const sockaddr* address() const;
  socklen_t length() const { return length_; }
  uint16_t port() const;
  void set_port(uint16_t port);
  bool unspecified() const;  // 0.0.0.0 or :: (SDP's "do not send")

  // Same family, address and port.
  bool same(const sockaddr* address, socklen_t length) const;
  friend bool operator==(const Endpoint& a, const Endpoint& b) {
    return a.same(b.address(), b.length());
  }

 private:
  sockaddr_storage storage_{};
  socklen_t length_ = 0;
};

// Numeric IPv4 or IPv6 text and a port; nullopt when the text is not a numeric address.
std::optional<Endpoint> parse_endpoint(const std::string& text, uint16_t port);
// As parse_endpoint, for sending from a socket of `socket_family`: an IPv4 address becomes
// IPv4-mapped IPv6 for an AF_INET6 socket; an IPv6 address for an AF_INET socket is nullopt.
std::optional<Endpoint> parse_remote(const std::string& text, uint16_t port, int socket_family);

}  // namespace tutti::media::detail
