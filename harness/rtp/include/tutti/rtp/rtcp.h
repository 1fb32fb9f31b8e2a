// RTCP (RFC 3550 section 6): compound packets of SR, RR, SDES, BYE, plus RFC 3611 XR and any
// other type skipped by its length.
//
// Each packet starts with  V(2) P(1) count(5) | PT(8) | length(16)  where length is the packet
// size in 32-bit words minus one. The walker rejects a version other than 2, a length past the
// end of the buffer, a count whose report blocks, chunks or SSRCs do not fit in the packet, and
// padding that is zero or longer than the packet body.
//
// Threads: all functions are pure, never allocate and are real-time safe. Parsed values borrow
// the input buffer (CNAME and BYE reason are views into it).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "tutti/rtp/parsed.h"

namespace tutti::rtp {

inline constexpr std::size_t kMaxReportBlocks = 31;  // the 5-bit count field
inline constexpr std::size_t kReportBlockBytes = 24;

enum class RtcpPacketType : uint8_t {
  kSenderReport = 200,
  kReceiverReport = 201,
  kSourceDescription = 202,
  kBye = 203,
  kApp = 204,
  kExtendedReport = 207,  // RFC 3611
};

enum class RtcpError {
  kTooShort,    // empty buffer, or fewer than 4 bytes left for a header
  kBadVersion,  // version is not 2
  kBadLength,   // the length field points past the end of the buffer, or a BYE reason does
  kBadCount,    // report blocks / SDES chunks / BYE SSRCs do not fit in the packet
  kBadPadding,  // padding count is 0 or longer than the packet body
  kBadSdes,     // an SDES item runs past its packet
};
const char* rtcp_error_name(RtcpError error);

struct ReportBlock {
  uint32_t ssrc = 0;
  uint8_t fraction_lost = 0;     // lost fraction since the last report, in 1/256
  int32_t cumulative_lost = 0;   // 24-bit signed on the wire (duplicates can make it negative)
  uint32_t extended_highest_sequence = 0;
  uint32_t jitter = 0;           // RTP timestamp units
  uint32_t last_sr = 0;          // middle 32 bits of the last SR's NTP timestamp
  uint32_t delay_since_last_sr = 0;  // 1/65536 s
  friend bool operator==(const ReportBlock&, const ReportBlock&) = default;
};

struct SenderInfo {
  uint64_t ntp_timestamp = 0;
  uint32_t rtp_timestamp = 0;
  uint32_t packet_count = 0;
  uint32_t octet_count = 0;
  friend bool operator==(const SenderInfo&, const SenderInfo&) = default;
};

// Sender and receiver reports share this shape; has_sender_info tells them apart.
struct RtcpReport {
  bool has_sender_info = false;
  uint32_t ssrc = 0;
  SenderInfo sender_info;
  std::size_t block_count = 0;
  std::array<ReportBlock, kMaxReportBlocks> blocks{};
};

struct SdesCname {
  uint32_t ssrc = 0;
  std::string_view cname;
};

struct RtcpBye {
  std::size_t ssrc_count = 0;
  std::array<uint32_t, kMaxReportBlocks> ssrcs{};
  std::string_view reason;
};

// What a compound packet held. Reports, CNAMEs and BYE SSRCs beyond the fixed capacity are
// validated but not kept.
struct RtcpCompound {
  static constexpr std::size_t kMaxReports = 4;
  static constexpr std::size_t kMaxCnames = 31;
  std::size_t packet_count = 0;
  std::size_t report_count = 0;
  std::array<RtcpReport, kMaxReports> reports{};
  std::size_t cname_count = 0;
  std::array<SdesCname, kMaxCnames> cnames{};
  bool has_bye = false;
  RtcpBye bye;
  std::size_t extended_report_count = 0;  // XR packets, skipped by length
  std::size_t other_count = 0;            // APP and unknown types, skipped by length
};

// Walks and parses a compound packet (a single packet is a compound of one).
Parsed<RtcpCompound, RtcpError> parse_rtcp(std::span<const uint8_t> data);

// Bytes of an SR or RR with this many report blocks (at most 31).
std::size_t rtcp_report_size(bool sender, std::size_t block_count);
// Write an SR (has_sender_info) or RR into out; return its size, or 0 if out is too small or
// block_count > 31. The cumulative loss is clamped to the 24-bit signed range.
std::size_t write_rtcp_report(const RtcpReport& report, std::span<uint8_t> out);

}  // namespace tutti::rtp
