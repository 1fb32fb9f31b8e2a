// Send path: every wake-up drains the stream's engine link. Each payload gets this stream's RTP
// header (random SSRC and bases, sequence +1 per packet, timestamp from the engine tick so a
// DTX gap or a move into another room keeps the clock continuous). RFC 4733 digits go out on
// the same SSRC and sequence while audio is paused; the link is still drained meanwhile so the
// engine's output queue never fills.
#include <algorithm>

#include "stream_io.h"
#include "tutti/rtp/rtp_packet.h"

namespace tutti::media::detail {
namespace {

constexpr int kDtmfUpdateMs = 50;  // RFC 4733 2.5.1.2: updates every 50 ms are typical
constexpr int kDtmfEndPackets = 3;
// A link switched to still holds a few ticks already sent from the old one; further back than
// this, its ticks come from another clock.
constexpr uint64_t kStaleTicks = 64;

uint32_t timestamp_of(const Stream& s, uint64_t tick) {
  return s.timestamp_base + static_cast<uint32_t>(tick * s.media.target->samples_per_tick);
}

bool can_send(const Stream& s) {
  const Endpoint& to = s.media.rtp_latch.destination();
  return s.media.target->send_audio && to.valid() && !to.unspecified();
}

// Queues one RTP packet to the current destination, flushing first when the batch is full.
void queue_packet(Stream& s, SendBatch& batch, const rtp::RtpHeader& header,
                  std::span<const uint8_t> payload, int64_t now_us) {
  if (batch.full()) batch.flush(s.rtp_fd);
  const std::size_t bytes = rtp::write_rtp(header, payload, std::nullopt, batch.next());
  if (bytes == 0) return;
  batch.commit(bytes, s.media.rtp_latch.destination());
  StreamMediaState& m = s.media;
  ++m.packets_sent;
  m.octets_sent += static_cast<uint32_t>(payload.size());
  m.last_timestamp = header.timestamp;
  m.last_send_ms = now_us / 1000;
}

rtp::RtpHeader next_header(Stream& s, uint8_t payload_type, uint32_t timestamp, bool marker) {
  rtp::RtpHeader h;
  h.marker = marker;
  h.payload_type = payload_type;
  h.sequence = s.media.next_sequence++;
  h.timestamp = timestamp;
  h.ssrc = s.ssrc;
  return h;
}

// True when a tick's payload goes out more than one tick after it was due. The due time is
// estimated from the earliest (tick, time) pair seen, so a late first packet corrects itself.
// A late packet re-anchors too: after the engine skips deadlines its tick numbers lag the clock
// for good, and without this every later packet of every stream would count as late.
bool late(StreamMediaState& m, uint64_t tick, int64_t now_ms, int tick_ms) {
  if (!m.anchored) {
    m.anchored = true;
    m.anchor_ms = now_ms;
    m.anchor_tick = tick;
    return false;
  }
  const int64_t due = m.anchor_ms + static_cast<int64_t>(tick - m.anchor_tick) * tick_ms;
  const bool is_late = now_ms - due > tick_ms;
  if (now_ms < due || is_late) {
    m.anchor_ms = now_ms;
    m.anchor_tick = tick;
  }
  return is_late;
}

void send_event_packet(Stream& s, SendBatch& batch, bool end, bool marker, int64_t now_us) {
  const DtmfSending& d = s.media.dtmf;
  rtp::TelephoneEvent event;
  event.event = d.event;
  event.end = end;
  event.duration = static_cast<uint16_t>(d.sent_units);
  uint8_t payload[rtp::kTelephoneEventBytes];
  rtp::write_telephone_event(event, payload);
  const uint8_t pt = *s.media.target->params.telephone_event_pt;
  queue_packet(s, batch, next_header(s, pt, d.timestamp, marker), payload, now_us);
}

void start_digit(Stream& s, int64_t now_ms) {
  StreamMediaState& m = s.media;
  const PendingDigit next = m.pending[m.pending_head];
  m.pending_head = (m.pending_head + 1) % StreamMediaState::kPendingDigits;
  --m.pending_count;
  const int64_t units = int64_t{next.duration_ms} * m.target->params.clock_rate_hz / 1000;
  m.dtmf = DtmfSending{};
  m.dtmf.active = true;
  m.dtmf.event = next.event;
  m.dtmf.timestamp = m.have_tick ? timestamp_of(s, m.last_tick + 1) : s.timestamp_base;
  m.dtmf.total_units = static_cast<uint32_t>(std::clamp<int64_t>(units, 1, 0xffff));
  m.dtmf.next_ms = now_ms;
}

// One step of the digit being sent: an update every 50 ms, then the end packet three times.
void step_dtmf(Stream& s, SendBatch& batch, int64_t now_us) {
  StreamMediaState& m = s.media;
  const int64_t now_ms = now_us / 1000;
  if (!m.dtmf.active) {
    if (m.pending_count == 0) return;
    if (!can_send(s) || !m.target->params.telephone_event_pt) {
      m.pending_count = 0;  // nowhere to send them (hold, or no telephone-event any more)
      return;
    }
    start_digit(s, now_ms);
  }
  DtmfSending& d = m.dtmf;
  if (!can_send(s)) {
    d.active = false;  // put on hold mid-digit: the far end's detector flushes it
    return;
  }
  if (now_ms < d.next_ms) return;
  const uint32_t step =
      static_cast<uint32_t>(kDtmfUpdateMs * m.target->params.clock_rate_hz / 1000);
  if (d.sent_units < d.total_units) {
    d.sent_units = std::min(d.sent_units + step, d.total_units);
    send_event_packet(s, batch, false, d.first, now_us);
    d.first = false;
    d.next_ms += kDtmfUpdateMs;
    return;
  }
  for (int i = 0; i < kDtmfEndPackets; ++i) send_event_packet(s, batch, true, false, now_us);
  d.active = false;
  bump(s.counters.dtmf_out);
}

// Maps a link's tick onto this stream's own continuous tick count. False for a tick already
// covered (the backlog of a link just switched to); a link on another clock is re-based so the
// stream continues right after its last tick.
bool map_tick(StreamMediaState& m, uint64_t link_tick, uint64_t& tick) {
  tick = link_tick + m.tick_offset;
  if (!m.have_tick || tick > m.last_tick) return true;
  if (m.last_tick - tick <= kStaleTicks) return false;
  m.tick_offset += m.last_tick + 1 - tick;
  tick = m.last_tick + 1;
  return true;
}

void send_audio(Stream& s, SendBatch& batch, uint64_t tick, std::span<const uint8_t> payload,
                int64_t now_us, int tick_ms) {
  StreamMediaState& m = s.media;
  const bool gap = !m.sent_any || tick != m.last_sent_tick + 1;
  const uint8_t pt = m.target->params.payload_type;
  queue_packet(s, batch, next_header(s, pt, timestamp_of(s, tick), gap), payload, now_us);
  m.sent_any = true;
  m.last_sent_tick = tick;
  bump(s.counters.rtp_out);
  bump(s.counters.bytes_out, rtp::kRtpFixedHeaderBytes + payload.size());
  if (late(m, tick, now_us / 1000, tick_ms)) bump(s.counters.late_sends);
}

}  // namespace

void queue_digit(Stream& stream, uint8_t event, int duration_ms) {
  StreamMediaState& m = stream.media;
  if (m.pending_count == StreamMediaState::kPendingDigits) return;
  PendingDigit& d =
      m.pending[(m.pending_head + m.pending_count) % StreamMediaState::kPendingDigits];
  d.event = event;
  d.duration_ms = duration_ms;
  ++m.pending_count;
}

void pump_output(Stream& stream, int64_t now_us, const MediaContext& context, SendBatch& batch,
                 std::span<uint8_t> scratch) {
  StreamMediaState& m = stream.media;
  if (m.target == nullptr) return;
  step_dtmf(stream, batch, now_us);
  for (;;) {
    const RtpOutput out = m.target->params.link.try_pull_rtp(scratch);
    if (!out.ready) break;
    uint64_t tick = 0;
    if (!map_tick(m, out.tick, tick)) continue;
    m.have_tick = true;
    m.last_tick = tick;
    // DTX (no bytes), a digit on the wire, hold or no far end: pulled, not sent.
    if (out.bytes == 0 || m.dtmf.active || !can_send(stream)) continue;
    send_audio(stream, batch, tick, scratch.first(out.bytes), now_us, context.tick_ms);
  }
  if (!batch.empty()) batch.flush(stream.rtp_fd);
}

}  // namespace tutti::media::detail
