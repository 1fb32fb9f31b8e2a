// Receive path: every datagram is parsed, checked against the stream's accepted source, then
// goes to the engine link (audio), the digit detector (telephone-event) or a counter.
#include "stream_io.h"
#include "tutti/rtp/rtcp.h"
#include "tutti/rtp/rtp_packet.h"

namespace tutti::media::detail {
namespace {

uint32_t to_rtp_units(int64_t now_us, int clock_rate_hz) {
  return static_cast<uint32_t>(now_us * clock_rate_hz / 1'000'000);
}

void update_receive_counters(Stream& s, const Target& t) {
  const rtp::RtpReceiverStats& r = s.media.receiver;
  const int32_t lost = r.cumulative_lost();
  s.counters.lost.store(lost > 0 ? static_cast<uint64_t>(lost) : 0, std::memory_order_relaxed);
  s.counters.jitter_ms.store(r.jitter() * 1000.0 / t.params.clock_rate_hz,
                             std::memory_order_relaxed);
}

void receive_audio(Stream& s, const rtp::RtpPacket& p, std::size_t bytes, int64_t now_us) {
  Target& t = *s.media.target;
  if (!t.params.receive) return;  // sendonly/inactive: the far end's audio is not wanted
  RtpInput in;
  in.seq = p.header.sequence;
  in.timestamp = p.header.timestamp;
  in.ssrc = p.header.ssrc;
  in.payload_type = p.header.payload_type;
  in.marker = p.header.marker;
  in.audio_level_dbov = p.audio_level ? p.audio_level->level_dbov : -1;
  in.arrival_ms = now_us / 1000;
  in.payload = p.payload;
  if (t.params.link.try_push_rtp(in)) {
    bump(s.counters.rtp_in);
    bump(s.counters.bytes_in, bytes);
  } else {
    bump(s.counters.link_full);
  }
}

// Remembers the longest duration seen for the current and the previous event, so a digit the
// detector reports late (its end packets lost) still gets its own duration.
void track_event_duration(StreamMediaState& m, uint32_t timestamp, uint16_t duration) {
  if (timestamp != m.event_timestamp) {
    m.previous_event_timestamp = m.event_timestamp;
    m.previous_event_duration = m.event_duration;
    m.event_timestamp = timestamp;
    m.event_duration = duration;
  } else if (duration > m.event_duration) {
    m.event_duration = duration;
  }
}

void report_digit(Stream& s, char digit, uint16_t duration_units, const MediaContext& context) {
  DtmfEvent e;
  e.stream = s.id;
  e.digit = digit;
  e.duration_ms = static_cast<int>(duration_units * 1000 / s.media.target->params.clock_rate_hz);
  bump(s.counters.dtmf_in);
  context.inbox->push(e);
}

void receive_event(Stream& s, const rtp::RtpPacket& p, const MediaContext& context) {
  const std::optional<rtp::TelephoneEvent> event = rtp::parse_telephone_event(p.payload);
  if (!event) {
    bump(s.counters.malformed_dtmf);
    return;
  }
  StreamMediaState& m = s.media;
  track_event_duration(m, p.header.timestamp, event->duration);
  const rtp::DetectedDigits digits = m.detector.feed(p.header.timestamp, *event);
  for (std::size_t i = 0; i < digits.count; ++i) {
    // The last digit is this packet's own event only when the packet ends it.
    const bool own = i + 1 == digits.count && event->end;
    report_digit(s, digits.digits[i], own ? m.event_duration : m.previous_event_duration, context);
  }
}

void receive_rtp(Stream& s, std::span<const uint8_t> data, const sockaddr* from,
                 socklen_t from_length, int64_t now_us, const MediaContext& context) {
  StreamMediaState& m = s.media;
  const Target& t = *m.target;
  const int ext_id =
      t.params.audio_level_ext_id ? *t.params.audio_level_ext_id : rtp::kAudioLevelNotNegotiated;
  const auto packet = rtp::parse_rtp(data, ext_id);
  if (!packet) {
    bump(s.counters.malformed_rtp);
    return;
  }
  if (!m.rtp_latch.accept(from, from_length)) {
    bump(s.counters.foreign_source);
    return;
  }
  const uint8_t pt = packet->header.payload_type;
  const bool audio = pt == t.params.payload_type;
  const bool event = t.params.telephone_event_pt && pt == *t.params.telephone_event_pt;
  if (!audio && !event) {
    bump(s.counters.unknown_payload_type);
    return;
  }
  // Audio and events share one sequence space, so both feed the loss and jitter figures.
  m.remote_ssrc = packet->header.ssrc;
  m.receiver.on_packet(packet->header.sequence, packet->header.timestamp,
                       to_rtp_units(now_us, t.params.clock_rate_hz));
  update_receive_counters(s, t);
  if (audio) {
    receive_audio(s, *packet, data.size(), now_us);
  } else {
    receive_event(s, *packet, context);
  }
}

// RFC 5761 4: with RTCP multiplexed, the second byte of RTCP is a packet type 192..223, which
// as RTP would be marker + payload type 64..95, a range RTP avoids for this reason.
bool looks_like_rtcp(std::span<const uint8_t> data) {
  return data.size() >= 2 && data[1] >= 192 && data[1] <= 223;
}

void take_report(Stream& s, const rtp::RtcpReport& report, int64_t now_us) {
  StreamMediaState& m = s.media;
  if (report.has_sender_info) {
    m.have_remote_sr = true;
    m.remote_sr_ntp_middle = static_cast<uint32_t>(report.sender_info.ntp_timestamp >> 16);
    m.remote_sr_arrival_ms = now_us / 1000;
  }
  for (std::size_t i = 0; i < report.block_count; ++i) {
    if (report.blocks[i].ssrc != s.ssrc) continue;
    s.counters.remote_fraction_lost.store(report.blocks[i].fraction_lost / 256.0,
                                          std::memory_order_relaxed);
  }
}

}  // namespace

void receive_on_rtp_socket(Stream& stream, std::span<const uint8_t> data, const sockaddr* from,
                           socklen_t from_length, int64_t now_us, const MediaContext& context) {
  if (looks_like_rtcp(data)) {
    receive_rtcp(stream, data, from, from_length, now_us);
  } else {
    receive_rtp(stream, data, from, from_length, now_us, context);
  }
}

void receive_rtcp(Stream& stream, std::span<const uint8_t> data, const sockaddr* from,
                  socklen_t from_length, int64_t now_us) {
  const auto compound = rtp::parse_rtcp(data);
  if (!compound) {
    bump(stream.counters.malformed_rtcp);
    return;
  }
  const bool from_rtp_side = stream.media.rtp_latch.destination().same(from, from_length);
  if (!from_rtp_side && !stream.media.rtcp_latch.accept(from, from_length)) {
    bump(stream.counters.foreign_source);
    return;
  }
  bump(stream.counters.rtcp_in);
  for (std::size_t i = 0; i < compound->report_count; ++i) {
    take_report(stream, compound->reports[i], now_us);
  }
}

void flush_received_dtmf(Stream& stream, const MediaContext& context) {
  if (stream.media.target == nullptr) return;
  if (const std::optional<char> digit = stream.media.detector.flush()) {
    report_digit(stream, *digit, stream.media.event_duration, context);
  }
}

}  // namespace tutti::media::detail
