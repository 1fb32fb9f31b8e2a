// Link layer, IP and UDP decoding: one captured frame to the UDP datagram it carries, or the
// reason it carries none. Link types: Ethernet (with 802.1Q/802.1ad tags), Linux cooked v1 and
// v2, raw IP, BSD loopback (NULL, LOOP); network layer IPv4 and IPv6 (extension headers walked).
//
// Threads: pure, any thread, no allocation beyond the returned strings.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "tutti/capture/capture.h"

namespace tutti::capture {

enum class FrameKind { kUdp, kNonIp, kNonUdp, kFragment, kMalformed, kSnapped };

struct UdpDatagram {
  Endpoint source;
  Endpoint destination;
  std::span<const uint8_t> payload;  // borrows the frame
};

struct DecodedFrame {
  FrameKind kind = FrameKind::kMalformed;
  UdpDatagram udp;  // meaningful when kind == kUdp
};

// libpcap DLT_ value to a name ("EN10MB"), nullopt for the link types this reader cannot decode.
std::optional<std::string> supported_link_type_name(int dlt);

// frame holds the captured bytes; original_length is the length on the wire (more than
// frame.size() when the snap length cut it).
DecodedFrame decode_frame(int dlt, std::span<const uint8_t> frame, uint32_t original_length);

}  // namespace tutti::capture
