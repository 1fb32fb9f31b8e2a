// Test captures made at test time: UDP datagrams (and a few things a reader must skip) wrapped
// in IPv4 or IPv6 and one of the link layers read_capture() decodes, written as pcap through
// libpcap (pcap_open_dead + pcap_dump_open) or as pcapng by hand (libpcap 1.10 writes no
// pcapng). Frames are written in time order, whatever order they were added in.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

#include "tutti/capture/capture.h"

namespace tutti::capture::testing {

enum class Link { kEthernet, kNull, kLoop, kRaw, kLinuxSll, kLinuxSll2 };
const char* link_name(Link link);

class CaptureWriter {
 public:
  explicit CaptureWriter(Link link = Link::kEthernet) : link_(link) {}

  // The address family follows from.address (IPv6 when it has a ':').
  void add_udp(double time, const Endpoint& from, const Endpoint& to,
               std::span<const uint8_t> payload);
  void add_udp(double time, const Endpoint& from, const Endpoint& to, std::string_view text);
  // The first fragment of a larger IPv4 UDP datagram (More Fragments set).
  void add_ipv4_fragment(double time, const Endpoint& from, const Endpoint& to);
  // A TCP segment (IPv4): not UDP.
  void add_tcp(double time, const Endpoint& from, const Endpoint& to);
  // An ARP frame on Ethernet: not IP.
  void add_arp(double time);

  std::size_t frame_count() const { return frames_.size(); }

  // Throws std::runtime_error when the file cannot be written.
  void write_pcap(const std::filesystem::path& path) const;
  void write_pcapng(const std::filesystem::path& path) const;  // Ethernet only

 private:
  struct Frame {
    double time = 0;
    std::vector<uint8_t> bytes;
  };
  std::vector<uint8_t> ip_packet(const Endpoint& from, const Endpoint& to, uint8_t protocol,
                                 std::span<const uint8_t> l4, uint16_t flags_offset) const;
  void add_ip(double time, std::vector<uint8_t> packet, bool ipv6);
  std::vector<Frame> sorted() const;

  Link link_;
  std::vector<Frame> frames_;
};

}  // namespace tutti::capture::testing
