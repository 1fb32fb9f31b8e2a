#include "port_allocator.h"

#include <fcntl.h>
#include <unistd.h>

namespace tutti::media::detail {
namespace {

// Room for about a second of a busy stream's packets, so a descheduled media thread loses none.
constexpr int kSocketBufferBytes = 512 * 1024;

}  // namespace

int open_udp_socket(const Endpoint& address) {
  const int fd = socket(address.family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const int size = kSocketBufferBytes;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
  if (address.family() == AF_INET6) {
    const int v6only = 0;  // IPv4 peers reach an "::" socket as IPv4-mapped addresses
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only));
  }
  if (bind(fd, address.address(), address.length()) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

PortAllocator::PortAllocator(const Endpoint& bind_address, uint16_t port_low, uint16_t port_high)
    : bind_address_(bind_address),
      port_low_(port_low),
      used_(static_cast<std::size_t>((port_high - port_low) / 2 + 1), false) {}

std::optional<PortPair> PortAllocator::allocate() {
  for (std::size_t tried = 0; tried < used_.size(); ++tried) {
    const std::size_t pair = cursor_;
    cursor_ = (cursor_ + 1) % used_.size();
    if (used_[pair]) continue;
    std::optional<PortPair> bound = try_bind(static_cast<uint16_t>(port_low_ + 2 * pair));
    if (!bound) continue;
    used_[pair] = true;
    return bound;
  }
  return std::nullopt;
}

void PortAllocator::release(uint16_t rtp_port) {
  const std::size_t pair = static_cast<std::size_t>((rtp_port - port_low_) / 2);
  if (rtp_port >= port_low_ && pair < used_.size()) used_[pair] = false;
}

std::optional<PortPair> PortAllocator::try_bind(uint16_t rtp_port) const {
  Endpoint rtp = bind_address_;
  rtp.set_port(rtp_port);
  Endpoint rtcp = bind_address_;
  rtcp.set_port(static_cast<uint16_t>(rtp_port + 1));
  PortPair pair;
  pair.rtp_port = rtp_port;
  pair.rtp_fd = open_udp_socket(rtp);
  if (pair.rtp_fd < 0) return std::nullopt;
  pair.rtcp_fd = open_udp_socket(rtcp);
  if (pair.rtcp_fd < 0) {
    close(pair.rtp_fd);
    return std::nullopt;
  }
  return pair;
}

}  // namespace tutti::media::detail
