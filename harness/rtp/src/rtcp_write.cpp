// SR and RR writers, for the engine to send its own reports later.
#include <algorithm>

#include "bytes.h"
#include "tutti/rtp/rtcp.h"

namespace tutti::rtp {
namespace {

using detail::store_u32;
constexpr int32_t kMaxCumulativeLost = 0x7FFFFF;
constexpr int32_t kMinCumulativeLost = -0x800000;

void write_block(const ReportBlock& block, std::span<uint8_t> out, std::size_t at) {
  store_u32(out, at, block.ssrc);
  out[at + 4] = block.fraction_lost;
  const int32_t lost =
      std::clamp(block.cumulative_lost, kMinCumulativeLost, kMaxCumulativeLost);
  detail::store_u24(out, at + 5, static_cast<uint32_t>(lost) & 0xFFFFFFu);
  store_u32(out, at + 8, block.extended_highest_sequence);
  store_u32(out, at + 12, block.jitter);
  store_u32(out, at + 16, block.last_sr);
  store_u32(out, at + 20, block.delay_since_last_sr);
}

}  // namespace

std::size_t rtcp_report_size(bool sender, std::size_t block_count) {
  return 8 + (sender ? 20 : 0) + block_count * kReportBlockBytes;
}

std::size_t write_rtcp_report(const RtcpReport& report, std::span<uint8_t> out) {
  if (report.block_count > kMaxReportBlocks) return 0;
  const bool sender = report.has_sender_info;
  const std::size_t size = rtcp_report_size(sender, report.block_count);
  if (out.size() < size) return 0;

  const auto type = sender ? RtcpPacketType::kSenderReport : RtcpPacketType::kReceiverReport;
  out[0] = static_cast<uint8_t>(0x80 | report.block_count);
  out[1] = static_cast<uint8_t>(type);
  detail::store_u16(out, 2, static_cast<uint16_t>(size / 4 - 1));
  store_u32(out, 4, report.ssrc);
  std::size_t at = 8;
  if (sender) {
    const SenderInfo& info = report.sender_info;
    store_u32(out, 8, static_cast<uint32_t>(info.ntp_timestamp >> 32));
    store_u32(out, 12, static_cast<uint32_t>(info.ntp_timestamp));
    store_u32(out, 16, info.rtp_timestamp);
    store_u32(out, 20, info.packet_count);
    store_u32(out, 24, info.octet_count);
    at = 28;
  }
  for (std::size_t i = 0; i < report.block_count; ++i, at += kReportBlockBytes) {
    write_block(report.blocks[i], out, at);
  }
  return size;
}

}  // namespace tutti::rtp
