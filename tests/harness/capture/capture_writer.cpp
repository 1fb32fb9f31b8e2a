#include "capture_writer.h"

#include <arpa/inet.h>
#include <pcap/pcap.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <stdexcept>

namespace tutti::capture::testing {
namespace {

void put16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}

void put_address(std::vector<uint8_t>& out, const std::string& text, bool ipv6) {
  uint8_t raw[16] = {};
  if (inet_pton(ipv6 ? AF_INET6 : AF_INET, text.c_str(), raw) != 1) {
    throw std::invalid_argument("not an address: " + text);
  }
  out.insert(out.end(), raw, raw + (ipv6 ? 16 : 4));
}

uint16_t ipv4_checksum(std::span<const uint8_t> header) {
  uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < header.size(); i += 2) sum += header[i] << 8 | header[i + 1];
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

int dlt_of(Link link) {
  switch (link) {
    case Link::kEthernet:
      return DLT_EN10MB;
    case Link::kNull:
      return DLT_NULL;
    case Link::kLoop:
      return DLT_LOOP;
    case Link::kRaw:
      return DLT_RAW;
    case Link::kLinuxSll:
      return DLT_LINUX_SLL;
    case Link::kLinuxSll2:
      return DLT_LINUX_SLL2;
  }
  return DLT_EN10MB;
}

// The link-layer header in front of an IP packet.
std::vector<uint8_t> link_header(Link link, bool ipv6) {
  const uint16_t ethertype = ipv6 ? 0x86DD : 0x0800;
  std::vector<uint8_t> h;
  switch (link) {
    case Link::kEthernet:
      h = {0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1};
      put16(h, ethertype);
      break;
    case Link::kNull: {                       // host byte order of the writer: little-endian here
      const uint32_t family = ipv6 ? 30 : 2;  // 30: AF_INET6 as macOS writes it
      h = {static_cast<uint8_t>(family), 0, 0, 0};
      break;
    }
    case Link::kLoop:
      h = {0, 0, 0, static_cast<uint8_t>(ipv6 ? 24 : 2)};
      break;
    case Link::kRaw:
      break;
    case Link::kLinuxSll:
      h = {0, 0, 0, 1, 0, 6, 0x02, 0, 0, 0, 0, 1, 0, 0};
      put16(h, ethertype);
      break;
    case Link::kLinuxSll2:
      put16(h, ethertype);
      h.insert(h.end(), {0, 0, 0, 0, 0, 1, 1, 0, 6, 0x02, 0, 0, 0, 0, 1, 0, 0});
      h.resize(20);
      break;
  }
  return h;
}

}  // namespace

const char* link_name(Link link) {
  switch (link) {
    case Link::kEthernet:
      return "Ethernet";
    case Link::kNull:
      return "Null";
    case Link::kLoop:
      return "Loop";
    case Link::kRaw:
      return "Raw";
    case Link::kLinuxSll:
      return "LinuxSll";
    case Link::kLinuxSll2:
      return "LinuxSll2";
  }
  return "?";
}

std::vector<uint8_t> CaptureWriter::ip_packet(const Endpoint& from, const Endpoint& to,
                                              uint8_t protocol, std::span<const uint8_t> l4,
                                              uint16_t flags_offset) const {
  const bool ipv6 = from.address.find(':') != std::string::npos;
  std::vector<uint8_t> p;
  if (ipv6) {
    p = {0x60, 0, 0, 0};
    put16(p, static_cast<uint16_t>(l4.size()));
    p.push_back(protocol);
    p.push_back(64);
    put_address(p, from.address, true);
    put_address(p, to.address, true);
  } else {
    p = {0x45, 0};
    put16(p, static_cast<uint16_t>(20 + l4.size()));
    put16(p, 0x1234);
    put16(p, flags_offset);
    p.push_back(64);
    p.push_back(protocol);
    put16(p, 0);
    put_address(p, from.address, false);
    put_address(p, to.address, false);
    const uint16_t sum = ipv4_checksum({p.data(), 20});
    p[10] = static_cast<uint8_t>(sum >> 8);
    p[11] = static_cast<uint8_t>(sum);
  }
  p.insert(p.end(), l4.begin(), l4.end());
  return p;
}

void CaptureWriter::add_ip(double time, std::vector<uint8_t> packet, bool ipv6) {
  std::vector<uint8_t> frame = link_header(link_, ipv6);
  frame.insert(frame.end(), packet.begin(), packet.end());
  frames_.push_back({time, std::move(frame)});
}

void CaptureWriter::add_udp(double time, const Endpoint& from, const Endpoint& to,
                            std::span<const uint8_t> payload) {
  std::vector<uint8_t> udp;
  put16(udp, from.port);
  put16(udp, to.port);
  put16(udp, static_cast<uint16_t>(8 + payload.size()));
  put16(udp, 0);  // no checksum: the reader does not verify it
  udp.insert(udp.end(), payload.begin(), payload.end());
  const bool ipv6 = from.address.find(':') != std::string::npos;
  add_ip(time, ip_packet(from, to, 17, udp, 0), ipv6);
}

void CaptureWriter::add_udp(double time, const Endpoint& from, const Endpoint& to,
                            std::string_view text) {
  add_udp(time, from, to,
          std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

void CaptureWriter::add_ipv4_fragment(double time, const Endpoint& from, const Endpoint& to) {
  std::vector<uint8_t> udp;
  put16(udp, from.port);
  put16(udp, to.port);
  put16(udp, 3000);  // the whole datagram; only its first 64 bytes are in this fragment
  put16(udp, 0);
  udp.resize(64, 0x55);
  add_ip(time, ip_packet(from, to, 17, udp, 0x2000), false);
}

void CaptureWriter::add_tcp(double time, const Endpoint& from, const Endpoint& to) {
  std::vector<uint8_t> tcp;
  put16(tcp, from.port);
  put16(tcp, to.port);
  tcp.resize(20, 0);
  tcp[12] = 0x50;
  tcp[13] = 0x02;  // SYN
  add_ip(time, ip_packet(from, to, 6, tcp, 0), false);
}

void CaptureWriter::add_arp(double time) {
  std::vector<uint8_t> frame = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02,
                                0,    0,    0,    0,    1,    0x08, 0x06};
  frame.resize(42, 0);
  frames_.push_back({time, std::move(frame)});
}

std::vector<CaptureWriter::Frame> CaptureWriter::sorted() const {
  std::vector<Frame> frames = frames_;
  std::stable_sort(frames.begin(), frames.end(),
                   [](const Frame& a, const Frame& b) { return a.time < b.time; });
  return frames;
}

void CaptureWriter::write_pcap(const std::filesystem::path& path) const {
  pcap_t* dead = pcap_open_dead(dlt_of(link_), 65535);
  if (dead == nullptr) throw std::runtime_error("pcap_open_dead failed");
  pcap_dumper_t* dumper = pcap_dump_open(dead, path.c_str());
  if (dumper == nullptr) {
    const std::string error = pcap_geterr(dead);
    pcap_close(dead);
    throw std::runtime_error("pcap_dump_open: " + error);
  }
  for (const Frame& frame : sorted()) {
    pcap_pkthdr header{};
    const double seconds = std::floor(frame.time);
    header.ts.tv_sec = static_cast<time_t>(seconds);
    header.ts.tv_usec = static_cast<suseconds_t>(std::lround((frame.time - seconds) * 1e6));
    header.caplen = static_cast<uint32_t>(frame.bytes.size());
    header.len = header.caplen;
    pcap_dump(reinterpret_cast<u_char*>(dumper), &header, frame.bytes.data());
  }
  pcap_dump_close(dumper);
  pcap_close(dead);
}

namespace {

void put_le32(std::ofstream& out, uint32_t v) {
  const char bytes[4] = {static_cast<char>(v), static_cast<char>(v >> 8),
                         static_cast<char>(v >> 16), static_cast<char>(v >> 24)};
  out.write(bytes, 4);
}
void put_le16(std::ofstream& out, uint16_t v) {
  const char bytes[2] = {static_cast<char>(v), static_cast<char>(v >> 8)};
  out.write(bytes, 2);
}

}  // namespace

// Section header, one Ethernet interface (microsecond timestamps, the default), one enhanced
// packet block per frame; little-endian throughout.
void CaptureWriter::write_pcapng(const std::filesystem::path& path) const {
  if (link_ != Link::kEthernet) throw std::invalid_argument("pcapng writer: Ethernet only");
  std::ofstream out(path, std::ios::binary);
  if (!out) throw std::runtime_error("cannot write " + path.string());
  put_le32(out, 0x0A0D0D0A);
  put_le32(out, 28);
  put_le32(out, 0x1A2B3C4D);
  put_le16(out, 1);
  put_le16(out, 0);
  put_le32(out, 0xFFFFFFFF);  // section length unknown (-1 as 64 bits)
  put_le32(out, 0xFFFFFFFF);
  put_le32(out, 28);
  put_le32(out, 1);  // interface description
  put_le32(out, 20);
  put_le16(out, 1);  // LINKTYPE_ETHERNET
  put_le16(out, 0);
  put_le32(out, 65535);
  put_le32(out, 20);
  for (const Frame& frame : sorted()) {
    const auto padded = static_cast<uint32_t>((frame.bytes.size() + 3) / 4 * 4);
    const auto micros = static_cast<uint64_t>(std::llround(frame.time * 1e6));
    put_le32(out, 6);
    put_le32(out, 32 + padded);
    put_le32(out, 0);
    put_le32(out, static_cast<uint32_t>(micros >> 32));
    put_le32(out, static_cast<uint32_t>(micros));
    put_le32(out, static_cast<uint32_t>(frame.bytes.size()));
    put_le32(out, static_cast<uint32_t>(frame.bytes.size()));
    out.write(reinterpret_cast<const char*>(frame.bytes.data()),
              static_cast<std::streamsize>(frame.bytes.size()));
    out.write("\0\0\0", padded - frame.bytes.size());
    put_le32(out, 32 + padded);
  }
}

}  // namespace tutti::capture::testing
