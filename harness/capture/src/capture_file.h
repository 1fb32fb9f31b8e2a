// The libpcap side of read_capture(): opens a pcap or pcapng file and hands back every UDP
// datagram with its capture time, counting what it skips in the Capture's warnings.
//
// Threads: control plane; one call owns its libpcap handle.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tutti/capture/capture.h"

namespace tutti::capture {

struct Datagram {
  double time = 0;
  Endpoint source;
  Endpoint destination;
  std::vector<uint8_t> payload;
};

// Fills capture.format, link_type, packets_read, udp_datagrams, first/last_time and the
// link-level warnings; appends the UDP datagrams to out in file order. Errors: the file is
// missing or unreadable, or is not a capture libpcap knows.
Status read_udp_datagrams(const std::string& path, Capture& capture, std::vector<Datagram>& out);

}  // namespace tutti::capture
