// Hands out the even/odd UDP port pairs of a range (RTP on the even port, RTCP on the odd one
// above), binding both sockets as it goes. A pair another program holds fails to bind and is
// skipped; the search starts after the pair handed out last, so a just-freed pair is not reused
// at once (late packets of the old call would land in the new one).
//
// Threads: control thread only; may allocate.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "endpoint.h"

namespace tutti::media::detail {

struct PortPair {
  uint16_t rtp_port = 0;
  int rtp_fd = -1;
  int rtcp_fd = -1;
};

class PortAllocator {
 public:
  // port_low must be even and port_low <= port_high.
  PortAllocator(const Endpoint& bind_address, uint16_t port_low, uint16_t port_high);

  // Binds the next free pair; nullopt when every pair of the range is in use or taken.
  std::optional<PortPair> allocate();
  // Marks the pair free again; the caller has closed its sockets.
  void release(uint16_t rtp_port);

 private:
  std::optional<PortPair> try_bind(uint16_t rtp_port) const;

  Endpoint bind_address_;
  uint16_t port_low_;
  std::vector<bool> used_;  // one entry per pair
  std::size_t cursor_ = 0;  // next pair to try
};

// A non-blocking UDP socket bound to `address` with large kernel buffers; -1 on failure.
int open_udp_socket(const Endpoint& address);

}  // namespace tutti::media::detail
