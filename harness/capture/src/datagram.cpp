#include "datagram.h"

#include <arpa/inet.h>
#include <pcap/pcap.h>

namespace tutti::capture {
namespace {

constexpr uint16_t kEtherIpv4 = 0x0800;
constexpr uint16_t kEtherIpv6 = 0x86DD;
constexpr uint16_t kEtherVlan = 0x8100;
constexpr uint16_t kEtherQinQ = 0x88A8;
constexpr uint8_t kProtoUdp = 17;
constexpr uint8_t kIpv6Fragment = 44;

uint16_t be16(std::span<const uint8_t> b, std::size_t at) {
  return static_cast<uint16_t>(b[at] << 8 | b[at + 1]);
}
uint32_t le32(std::span<const uint8_t> b) {
  return static_cast<uint32_t>(b[0]) | static_cast<uint32_t>(b[1]) << 8 |
         static_cast<uint32_t>(b[2]) << 16 | static_cast<uint32_t>(b[3]) << 24;
}
uint32_t be32(std::span<const uint8_t> b) {
  return static_cast<uint32_t>(b[3]) | static_cast<uint32_t>(b[2]) << 8 |
         static_cast<uint32_t>(b[1]) << 16 | static_cast<uint32_t>(b[0]) << 24;
}

// What a decoding step hands the next: the bytes left, and whether the capture cut them.
struct Layer {
  std::span<const uint8_t> bytes;
  bool cut = false;  // the snap length shortened the frame
};

DecodedFrame fail(const Layer& layer, FrameKind kind = FrameKind::kMalformed) {
  DecodedFrame out;
  out.kind = (kind == FrameKind::kMalformed && layer.cut) ? FrameKind::kSnapped : kind;
  return out;
}

std::string address_text(int family, std::span<const uint8_t> raw) {
  char text[INET6_ADDRSTRLEN] = {};
  if (inet_ntop(family, raw.data(), text, sizeof text) == nullptr) return {};
  return text;
}

DecodedFrame decode_udp(const Layer& ip, std::span<const uint8_t> udp, int family,
                        std::span<const uint8_t> src, std::span<const uint8_t> dst) {
  if (udp.size() < 8) return fail(ip);
  const uint16_t length = be16(udp, 4);
  if (length < 8 || length > udp.size()) return fail(ip);
  DecodedFrame out;
  out.kind = FrameKind::kUdp;
  out.udp.source = {address_text(family, src), be16(udp, 0)};
  out.udp.destination = {address_text(family, dst), be16(udp, 2)};
  out.udp.payload = udp.subspan(8, length - 8u);
  return out;
}

DecodedFrame decode_ipv4(const Layer& layer) {
  const auto b = layer.bytes;
  if (b.size() < 20) return fail(layer);
  const std::size_t header = (b[0] & 0x0F) * 4u;
  const std::size_t total = be16(b, 2);
  if (header < 20 || total < header) return fail(layer);
  if (total > b.size()) return fail(layer);
  const uint16_t flags_offset = be16(b, 6);
  const bool more_fragments = (flags_offset & 0x2000) != 0;
  if (more_fragments || (flags_offset & 0x1FFF) != 0) return fail(layer, FrameKind::kFragment);
  if (b[9] != kProtoUdp) return fail(layer, FrameKind::kNonUdp);
  return decode_udp(layer, b.subspan(header, total - header), AF_INET, b.subspan(12, 4),
                    b.subspan(16, 4));
}

DecodedFrame decode_ipv6(const Layer& layer) {
  const auto b = layer.bytes;
  if (b.size() < 40) return fail(layer);
  const std::size_t payload_length = be16(b, 4);
  if (40 + payload_length > b.size()) return fail(layer);
  std::span<const uint8_t> rest = b.subspan(40, payload_length);
  uint8_t next = b[6];
  // Hop-by-hop, routing and destination options carry their length in 8-byte units.
  while (next == 0 || next == 43 || next == 60) {
    if (rest.size() < 8) return fail(layer);
    const std::size_t length = (rest[1] + 1u) * 8u;
    if (length > rest.size()) return fail(layer);
    next = rest[0];
    rest = rest.subspan(length);
  }
  if (next == kIpv6Fragment) return fail(layer, FrameKind::kFragment);
  if (next != kProtoUdp) return fail(layer, FrameKind::kNonUdp);
  return decode_udp(layer, rest, AF_INET6, b.subspan(8, 16), b.subspan(24, 16));
}

DecodedFrame decode_ip_by_version(const Layer& layer) {
  if (layer.bytes.empty()) return fail(layer);
  switch (layer.bytes[0] >> 4) {
    case 4:
      return decode_ipv4(layer);
    case 6:
      return decode_ipv6(layer);
    default:
      return fail(layer, FrameKind::kNonIp);
  }
}

DecodedFrame decode_ethertype(const Layer& layer, uint16_t ethertype, std::size_t offset) {
  if (offset > layer.bytes.size()) return fail(layer);
  const Layer next{layer.bytes.subspan(offset), layer.cut};
  if (ethertype == kEtherIpv4) return decode_ipv4(next);
  if (ethertype == kEtherIpv6) return decode_ipv6(next);
  return fail(layer, FrameKind::kNonIp);
}

DecodedFrame decode_ethernet(const Layer& layer) {
  const auto b = layer.bytes;
  std::size_t offset = 12;
  if (b.size() < offset + 2) return fail(layer);
  uint16_t ethertype = be16(b, offset);
  while (ethertype == kEtherVlan || ethertype == kEtherQinQ) {
    offset += 4;
    if (b.size() < offset + 2) return fail(layer);
    ethertype = be16(b, offset);
  }
  return decode_ethertype(layer, ethertype, offset + 2);
}

// BSD loopback: a 4-byte address family, host order of the writer (NULL) or network order
// (LOOP). AF_INET6 differs between systems (10 Linux, 24 NetBSD/OpenBSD, 28 FreeBSD, 30 macOS).
DecodedFrame decode_loopback(const Layer& layer, bool network_order) {
  const auto b = layer.bytes;
  if (b.size() < 4) return fail(layer);
  const uint32_t family = network_order ? be32(b) : le32(b);
  const uint32_t swapped = network_order ? le32(b) : be32(b);
  const Layer next{b.subspan(4), layer.cut};
  for (const uint32_t f : {family, swapped}) {
    if (f == 2) return decode_ipv4(next);
    if (f == 10 || f == 24 || f == 28 || f == 30) return decode_ipv6(next);
  }
  return fail(layer, FrameKind::kNonIp);
}

}  // namespace

std::optional<std::string> supported_link_type_name(int dlt) {
  switch (dlt) {
    case DLT_NULL:
      return "NULL";
    case DLT_EN10MB:
      return "EN10MB";
    case DLT_RAW:
      return "RAW";
    case DLT_LOOP:
      return "LOOP";
    case DLT_LINUX_SLL:
      return "LINUX_SLL";
    case DLT_LINUX_SLL2:
      return "LINUX_SLL2";
    case DLT_IPV4:
      return "IPV4";
    case DLT_IPV6:
      return "IPV6";
    default:
      return std::nullopt;
  }
}

DecodedFrame decode_frame(int dlt, std::span<const uint8_t> frame, uint32_t original_length) {
  const Layer layer{frame, frame.size() < original_length};
  switch (dlt) {
    case DLT_EN10MB:
      return decode_ethernet(layer);
    case DLT_NULL:
      return decode_loopback(layer, false);
    case DLT_LOOP:
      return decode_loopback(layer, true);
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
      return decode_ip_by_version(layer);
    case DLT_LINUX_SLL:  // 16 bytes, protocol type at 14
      if (frame.size() < 16) return fail(layer);
      return decode_ethertype(layer, be16(frame, 14), 16);
    case DLT_LINUX_SLL2:  // 20 bytes, protocol type first
      if (frame.size() < 20) return fail(layer);
      return decode_ethertype(layer, be16(frame, 0), 20);
    default:
      return fail(layer, FrameKind::kNonIp);
  }
}

}  // namespace tutti::capture
