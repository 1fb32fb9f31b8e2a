// The compound walker and one parser per packet type. Each parser sees only its own packet's
// body (after the 4-byte header, padding removed), so no parser can read into the next packet.
#include <optional>

#include "bytes.h"
#include "tutti/rtp/rtcp.h"

namespace tutti::rtp {
namespace {

using detail::load_u32;
constexpr std::size_t kHeaderBytes = 4;
constexpr uint8_t kSdesEnd = 0;
constexpr uint8_t kSdesCname = 1;

struct Header {
  std::size_t count = 0;
  uint8_t type = 0;
  std::span<const uint8_t> body;
};

ReportBlock parse_block(std::span<const uint8_t> b, std::size_t at) {
  ReportBlock block;
  block.ssrc = load_u32(b, at);
  block.fraction_lost = b[at + 4];
  const uint32_t lost = detail::load_u24(b, at + 5);
  block.cumulative_lost =
      (lost & 0x800000u) ? static_cast<int32_t>(lost) - 0x1000000 : static_cast<int32_t>(lost);
  block.extended_highest_sequence = load_u32(b, at + 8);
  block.jitter = load_u32(b, at + 12);
  block.last_sr = load_u32(b, at + 16);
  block.delay_since_last_sr = load_u32(b, at + 20);
  return block;
}

std::optional<RtcpError> parse_report(const Header& h, bool sender, RtcpReport& report) {
  const std::size_t fixed = sender ? 24 : 4;  // SSRC, plus 20 bytes of sender info for an SR
  if (h.body.size() < fixed || h.count * kReportBlockBytes > h.body.size() - fixed) {
    return RtcpError::kBadCount;
  }
  report.has_sender_info = sender;
  report.ssrc = load_u32(h.body, 0);
  if (sender) {
    report.sender_info.ntp_timestamp = (uint64_t{load_u32(h.body, 4)} << 32) | load_u32(h.body, 8);
    report.sender_info.rtp_timestamp = load_u32(h.body, 12);
    report.sender_info.packet_count = load_u32(h.body, 16);
    report.sender_info.octet_count = load_u32(h.body, 20);
  }
  report.block_count = h.count;
  for (std::size_t i = 0; i < h.count; ++i) {
    report.blocks[i] = parse_block(h.body, fixed + i * kReportBlockBytes);
  }
  return std::nullopt;
}

// Chunks: SSRC, items (type, length, text), a zero type, then zeros to the next 32-bit boundary.
std::optional<RtcpError> parse_sdes(const Header& h, RtcpCompound& out) {
  std::span<const uint8_t> b = h.body;
  std::size_t at = 0;
  for (std::size_t chunk = 0; chunk < h.count; ++chunk) {
    if (b.size() - at < 4) return RtcpError::kBadCount;
    const uint32_t ssrc = load_u32(b, at);
    at += 4;
    while (true) {
      if (at >= b.size()) return RtcpError::kBadSdes;
      const uint8_t type = b[at];
      if (type == kSdesEnd) break;
      if (b.size() - at < 2 || b[at + 1] > b.size() - at - 2) return RtcpError::kBadSdes;
      const std::size_t length = b[at + 1];
      if (type == kSdesCname && out.cname_count < out.cnames.size()) {
        const auto* text = reinterpret_cast<const char*>(b.data() + at + 2);
        out.cnames[out.cname_count++] = SdesCname{ssrc, std::string_view(text, length)};
      }
      at += 2 + length;
    }
    at = (at + 4) & ~std::size_t{3};  // past the end item and the padding to a word boundary
    if (at > b.size()) return RtcpError::kBadSdes;
  }
  return std::nullopt;
}

std::optional<RtcpError> parse_bye(const Header& h, RtcpBye& bye) {
  if (h.count * 4 > h.body.size()) return RtcpError::kBadCount;
  bye.ssrc_count = h.count;
  for (std::size_t i = 0; i < h.count; ++i) bye.ssrcs[i] = load_u32(h.body, i * 4);
  const std::size_t at = h.count * 4;
  if (at < h.body.size()) {
    const std::size_t length = h.body[at];
    if (length > h.body.size() - at - 1) return RtcpError::kBadLength;
    const auto* text = reinterpret_cast<const char*>(h.body.data() + at + 1);
    bye.reason = std::string_view(text, length);
  }
  return std::nullopt;
}

std::optional<RtcpError> parse_one(const Header& h, RtcpCompound& out) {
  switch (static_cast<RtcpPacketType>(h.type)) {
    case RtcpPacketType::kSenderReport:
    case RtcpPacketType::kReceiverReport: {
      RtcpReport scratch;
      const bool keep = out.report_count < out.reports.size();
      RtcpReport& report = keep ? out.reports[out.report_count] : scratch;
      const bool sender = h.type == static_cast<uint8_t>(RtcpPacketType::kSenderReport);
      if (auto error = parse_report(h, sender, report)) return error;
      if (keep) ++out.report_count;
      return std::nullopt;
    }
    case RtcpPacketType::kSourceDescription:
      return parse_sdes(h, out);
    case RtcpPacketType::kBye:
      out.has_bye = true;
      return parse_bye(h, out.bye);
    case RtcpPacketType::kExtendedReport:
      ++out.extended_report_count;
      return std::nullopt;
    case RtcpPacketType::kApp:
      break;
  }
  ++out.other_count;
  return std::nullopt;
}

}  // namespace

const char* rtcp_error_name(RtcpError error) {
  switch (error) {
    case RtcpError::kTooShort: return "too_short";
    case RtcpError::kBadVersion: return "bad_version";
    case RtcpError::kBadLength: return "bad_length";
    case RtcpError::kBadCount: return "bad_count";
    case RtcpError::kBadPadding: return "bad_padding";
    case RtcpError::kBadSdes: return "bad_sdes";
  }
  return "unknown";
}

Parsed<RtcpCompound, RtcpError> parse_rtcp(std::span<const uint8_t> data) {
  if (data.empty()) return RtcpError::kTooShort;
  RtcpCompound out;
  std::size_t at = 0;
  while (at < data.size()) {
    if (data.size() - at < kHeaderBytes) return RtcpError::kTooShort;
    if ((data[at] >> 6) != 2) return RtcpError::kBadVersion;
    const std::size_t packet_bytes = (std::size_t{detail::load_u16(data, at + 2)} + 1) * 4;
    if (packet_bytes > data.size() - at) return RtcpError::kBadLength;
    Header h;
    h.count = data[at] & 0x1F;
    h.type = data[at + 1];
    h.body = data.subspan(at + kHeaderBytes, packet_bytes - kHeaderBytes);
    if (data[at] & 0x20) {
      const std::size_t pad = data[at + packet_bytes - 1];
      if (pad == 0 || pad > h.body.size()) return RtcpError::kBadPadding;
      h.body = h.body.first(h.body.size() - pad);
    }
    if (auto error = parse_one(h, out)) return *error;
    ++out.packet_count;
    at += packet_bytes;
  }
  return out;
}

}  // namespace tutti::rtp
