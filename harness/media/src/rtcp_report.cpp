// RTCP out (RFC 3550 6.4): a compound of SR (once this stream has sent RTP, else RR), SDES
// CNAME and, on close, BYE. The single report block describes the far end's source, with the
// LSR/DLSR pair from its last SR so it can measure the round trip.
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <cstring>

#include "stream_io.h"
#include "tutti/rtp/rtcp.h"

namespace tutti::media::detail {
namespace {

constexpr std::size_t kCompoundBytes = 256;
constexpr uint64_t kNtpUnixOffsetS = 2'208'988'800;  // 1900-01-01 to 1970-01-01

void store_u16(uint8_t* at, uint16_t v) {
  at[0] = static_cast<uint8_t>(v >> 8);
  at[1] = static_cast<uint8_t>(v);
}
void store_u32(uint8_t* at, uint32_t v) {
  store_u16(at, static_cast<uint16_t>(v >> 16));
  store_u16(at + 2, static_cast<uint16_t>(v));
}

uint64_t ntp_now() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  const uint64_t ns = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count());
  const uint64_t seconds = ns / 1'000'000'000 + kNtpUnixOffsetS;
  const uint64_t fraction = ((ns % 1'000'000'000) << 32) / 1'000'000'000;
  return (seconds << 32) | fraction;
}

std::size_t write_report(Stream& s, int64_t now_us, std::span<uint8_t> out) {
  StreamMediaState& m = s.media;
  const int64_t now_ms = now_us / 1000;
  rtp::RtcpReport r;
  r.ssrc = s.ssrc;
  r.has_sender_info = m.packets_sent > 0;
  if (r.has_sender_info) {
    const int64_t since_ms = now_ms - m.last_send_ms;
    r.sender_info.ntp_timestamp = ntp_now();
    r.sender_info.rtp_timestamp =
        m.last_timestamp + static_cast<uint32_t>(since_ms * m.target->params.clock_rate_hz / 1000);
    r.sender_info.packet_count = m.packets_sent;
    r.sender_info.octet_count = m.octets_sent;
  }
  if (m.receiver.has_packets()) {
    rtp::ReportBlock block = m.receiver.take_report_block(m.remote_ssrc);
    if (m.have_remote_sr) {
      block.last_sr = m.remote_sr_ntp_middle;
      block.delay_since_last_sr =
          static_cast<uint32_t>((now_ms - m.remote_sr_arrival_ms) * 65536 / 1000);
    }
    r.blocks[0] = block;
    r.block_count = 1;
  }
  return rtp::write_rtcp_report(r, out);
}

// SDES with one chunk: our SSRC and its CNAME, null-terminated and padded to 32 bits.
std::size_t write_sdes(uint32_t ssrc, std::span<uint8_t> out) {
  char cname[32];
  const int length = std::snprintf(cname, sizeof(cname), "tutti-%08x", ssrc);
  const std::size_t item = 2 + static_cast<std::size_t>(length);
  const std::size_t size = (4 + 4 + item + 1 + 3) / 4 * 4;
  if (out.size() < size) return 0;
  std::memset(out.data(), 0, size);
  out[0] = 0x81;  // V=2, one chunk
  out[1] = static_cast<uint8_t>(rtp::RtcpPacketType::kSourceDescription);
  store_u16(&out[2], static_cast<uint16_t>(size / 4 - 1));
  store_u32(&out[4], ssrc);
  out[8] = 1;  // CNAME
  out[9] = static_cast<uint8_t>(length);
  std::memcpy(&out[10], cname, static_cast<std::size_t>(length));
  return size;
}

std::size_t write_bye(uint32_t ssrc, std::span<uint8_t> out) {
  if (out.size() < 8) return 0;
  out[0] = 0x81;  // V=2, one SSRC
  out[1] = static_cast<uint8_t>(rtp::RtcpPacketType::kBye);
  store_u16(&out[2], 1);
  store_u32(&out[4], ssrc);
  return 8;
}

// Where RTCP goes: the RTCP source the far end used, else next to its latched RTP source, else
// its SDP address. With rtcp-mux it shares the RTP socket and destination.
void send_compound(Stream& s, std::span<const uint8_t> packet) {
  const StreamMediaState& m = s.media;
  int fd = s.rtcp_fd;
  Endpoint to = m.rtcp_latch.destination();
  if (m.target->rtcp_mux) {
    fd = s.rtp_fd;
    to = m.rtp_latch.destination();
  } else if (!m.rtcp_latch.latched() && m.rtp_latch.latched()) {
    to = m.rtp_latch.latched_address();
    to.set_port(static_cast<uint16_t>(to.port() + 1));
  }
  if (!to.valid() || to.unspecified()) return;
  if (sendto(fd, packet.data(), packet.size(), 0, to.address(), to.length()) > 0) {
    bump(s.counters.rtcp_out);
  }
}

void send_rtcp(Stream& s, int64_t now_us, bool bye) {
  uint8_t buffer[kCompoundBytes];
  const std::span<uint8_t> out(buffer);
  std::size_t size = write_report(s, now_us, out);
  if (size == 0) return;
  size += write_sdes(s.ssrc, out.subspan(size));
  if (bye) size += write_bye(s.ssrc, out.subspan(size));
  send_compound(s, out.first(size));
}

}  // namespace

void maybe_send_rtcp(Stream& stream, int64_t now_us, const MediaContext& context) {
  StreamMediaState& m = stream.media;
  if (m.target == nullptr || now_us / 1000 < m.next_rtcp_ms) return;
  m.next_rtcp_ms = now_us / 1000 + context.rtcp_interval_ms;
  send_rtcp(stream, now_us, false);
}

void send_rtcp_bye(Stream& stream, int64_t now_us) {
  if (stream.media.target != nullptr) send_rtcp(stream, now_us, true);
}

}  // namespace tutti::media::detail
