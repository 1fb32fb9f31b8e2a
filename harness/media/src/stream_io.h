// The per-packet work of a media thread on one stream, split by direction:
//   stream_receive.cpp  RTP/RFC 4733/RTCP in: parse, source check, into the engine link
//   stream_send.cpp     engine link out: RTP headers, RFC 4733 digits, pacing bookkeeping
//   rtcp_report.cpp     SR/RR + SDES (and BYE) out
// Times are one monotonic microsecond clock read per wake-up.
//
// Threads: the stream's media thread only; nothing here allocates or blocks.
#pragma once

#include <cstdint>
#include <span>

#include "dtmf_inbox.h"
#include "io_batch.h"
#include "stream.h"

namespace tutti::media::detail {

struct MediaContext {
  int tick_ms = 20;
  int rtcp_interval_ms = 5000;
  DtmfInbox* inbox = nullptr;
};

// A datagram that arrived on the RTP socket (RTP, or RTCP when multiplexed, RFC 5761).
void receive_on_rtp_socket(Stream& stream, std::span<const uint8_t> data, const sockaddr* from,
                           socklen_t from_length, int64_t now_us, const MediaContext& context);
// A datagram that arrived on the RTCP socket.
void receive_rtcp(Stream& stream, std::span<const uint8_t> data, const sockaddr* from,
                  socklen_t from_length, int64_t now_us);
// The stream is going away: a digit whose end packets never came is still reported.
void flush_received_dtmf(Stream& stream, const MediaContext& context);

// Drains the stream's engine link and queues what goes out into batch (flushing it when full);
// the caller flushes the rest on the stream's RTP socket. scratch holds one payload.
void pump_output(Stream& stream, int64_t now_us, const MediaContext& context, SendBatch& batch,
                 std::span<uint8_t> scratch);
// Queues a digit to send (from send_dtmf); dropped when 32 are already waiting.
void queue_digit(Stream& stream, uint8_t event, int duration_ms);

// Sends an SR (or RR before any packet went out) with SDES CNAME when due, or now with a BYE.
void maybe_send_rtcp(Stream& stream, int64_t now_us, const MediaContext& context);
void send_rtcp_bye(Stream& stream, int64_t now_us);

}  // namespace tutti::media::detail
