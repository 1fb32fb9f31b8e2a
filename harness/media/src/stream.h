// One call's media stream: its sockets, its counters and the state its media thread keeps.
//
// Ownership: the control thread creates and frees a Stream. Between attach and detach (both
// acknowledged by the media thread, see media_thread.h) the `media` part belongs to the media
// thread alone; the control thread then reads only the fixed fields and the relaxed counters.
// A Target is built by the control thread, handed over whole, and freed by the control thread
// only after the media thread has acknowledged switching away from it.
#pragma once

#include <atomic>
#include <cstdint>

#include "endpoint.h"
#include "source_latch.h"
#include "tutti/media/media_hub.h"
#include "tutti/rtp/receiver_stats.h"
#include "tutti/rtp/telephone_event.h"

namespace tutti::media::detail {

// Written by the media thread with relaxed stores, read by anyone.
struct StreamCounters {
  std::atomic<uint64_t> rtp_in{0}, rtp_out{0}, bytes_in{0}, bytes_out{0};
  std::atomic<uint64_t> malformed_rtp{0}, malformed_rtcp{0}, malformed_dtmf{0};
  std::atomic<uint64_t> unknown_payload_type{0}, foreign_source{0}, link_full{0}, lost{0};
  std::atomic<double> jitter_ms{0};
  std::atomic<uint64_t> rtcp_in{0}, rtcp_out{0};
  std::atomic<double> remote_fraction_lost{0};
  std::atomic<uint64_t> dtmf_in{0}, dtmf_out{0}, late_sends{0};

  StreamStats snapshot() const;
};

// Media-thread helper: counter += n without a read-modify-write (single writer).
inline void bump(std::atomic<uint64_t>& counter, uint64_t n = 1) {
  counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

// What start()/update() asked for, resolved on the control thread.
struct Target {
  StreamParams params;  // params.link is used by the media thread only once handed over
  Endpoint rtp_sdp;     // the far end's addresses; unspecified when SDP said 0.0.0.0
  Endpoint rtcp_sdp;
  bool send_audio = false;        // params.send and a real far-end address
  bool rtcp_mux = false;          // RTCP shares the RTP port on both sides
  uint32_t samples_per_tick = 0;  // RTP clock units per engine tick
};

// An RFC 4733 digit being sent (media thread).
struct DtmfSending {
  bool active = false;
  uint8_t event = 0;
  uint32_t timestamp = 0;    // RTP timestamp of the digit's start
  uint32_t total_units = 0;  // the digit's duration in RTP clock units
  uint32_t sent_units = 0;   // duration the last update packet announced
  int64_t next_ms = 0;       // when the next update (or the end packets) is due
  bool first = true;
};

struct PendingDigit {
  uint8_t event = 0;
  int duration_ms = 0;
};

// Everything below belongs to the media thread between attach and detach.
struct StreamMediaState {
  Target* target = nullptr;  // the link is driven from here; the control thread keeps off
  // Sending.
  uint16_t next_sequence = 0;
  bool sent_any = false;
  uint64_t last_sent_tick = 0;
  bool have_tick = false;
  uint64_t last_tick = 0;    // last stream tick pulled from the link, sent or not
  uint64_t tick_offset = 0;  // stream tick = link tick + offset (re-based on a clock change)
  bool anchored = false;     // due time of a tick = anchor_ms + (tick - anchor_tick) * tick_ms
  int64_t anchor_ms = 0;
  uint64_t anchor_tick = 0;
  uint32_t packets_sent = 0;  // RTP packets of any kind, for the SR
  uint32_t octets_sent = 0;   // their payload bytes
  uint32_t last_timestamp = 0;
  int64_t last_send_ms = 0;
  // DTMF out.
  DtmfSending dtmf;
  static constexpr std::size_t kPendingDigits = 32;
  PendingDigit pending[kPendingDigits]{};
  std::size_t pending_head = 0, pending_count = 0;
  // Receiving.
  SourceLatch rtp_latch;
  SourceLatch rtcp_latch;
  rtp::RtpReceiverStats receiver;
  uint32_t remote_ssrc = 0;
  rtp::DtmfDetector detector;
  uint32_t event_timestamp = 0, previous_event_timestamp = 0;
  uint16_t event_duration = 0, previous_event_duration = 0;
  // RTCP.
  int64_t next_rtcp_ms = 0;
  bool have_remote_sr = false;
  uint32_t remote_sr_ntp_middle = 0;
  int64_t remote_sr_arrival_ms = 0;
};

struct Stream;

// What an epoll event points at: one of a stream's two sockets.
struct SocketTag {
  Stream* stream = nullptr;
  bool rtcp = false;
};

struct Stream {
  // Fixed at open.
  StreamId id;
  uint16_t rtp_port = 0;
  int rtp_fd = -1;
  int rtcp_fd = -1;
  uint32_t ssrc = 0;
  uint32_t timestamp_base = 0;
  uint16_t first_sequence = 0;
  SocketTag rtp_tag{this, false};
  SocketTag rtcp_tag{this, true};

  StreamCounters counters;
  StreamMediaState media;
};

}  // namespace tutti::media::detail
