#include "jitter_buffer.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "rt.h"

namespace tutti::detail {
namespace {

// Extended sequence numbers start here so they stay positive when a reordered start moves the
// head back; a multiple of 65536, so the low 16 bits are the wire value.
constexpr int64_t kSeqBase = int64_t{1} << 20;
// Opus's longest packet; a longer timestamp step between consecutive packets is a pause (DTX),
// not a packet length.
constexpr int kMaxPacketMs = 120;
constexpr double kJitterGain = 1.0 / 16.0;  // RFC 3550 section 6.4.1

JitterConfig sanitized(JitterConfig c) {
  c.clock_rate_hz = std::clamp(c.clock_rate_hz, 1000, 192000);
  c.frame_ms = std::clamp(c.frame_ms, 1, kMaxPacketMs);
  c.max_delay_ms = std::clamp(c.max_delay_ms, c.frame_ms, JitterBuffer::kResyncJumpMs);
  c.min_delay_ms = std::clamp(c.min_delay_ms, 0, c.max_delay_ms);
  c.max_packets = std::clamp(c.max_packets, 2, 1024);
  return c;
}

}  // namespace

JitterBuffer::JitterBuffer(const JitterConfig& config)
    : config_(sanitized(config)),
      capacity_(config_.max_packets),
      slots_(std::make_unique<Slot[]>(static_cast<std::size_t>(capacity_))),
      packet_samples_(ms_to_samples(config_.frame_ms)),
      target_ms_(config_.min_delay_ms) {}

TUTTI_RT InsertResult JitterBuffer::insert(const RtpPacketView& packet,
                                           int64_t arrival_ms) noexcept {
  ++counters_.received;
  if (packet.payload.size() > kMaxRtpPayloadBytes) {
    ++counters_.rejected;
    return InsertResult::kRejected;
  }
  if (!synced_ || packet.ssrc != ssrc_) {
    if (synced_) ++counters_.resets;
    start_stream(packet, arrival_ms);
    return InsertResult::kInserted;
  }
  const int64_t seq = unwrap_seq(packet.seq);
  const int64_t ts = unwrap_ts(packet.timestamp);
  const int64_t expected_ts = newest_ts_ + (seq - newest_seq_) * packet_samples_;
  if (std::abs(ts - expected_ts) > ms_to_samples(kResyncJumpMs) || seq - newest_seq_ >= capacity_) {
    ++counters_.resets;
    start_stream(packet, arrival_ms);
    return InsertResult::kInserted;
  }
  // Late packets count too: they are the evidence that the delay should grow.
  update_jitter(ts, arrival_ms);
  if (seq < head_seq_) {
    if (played_ || newest_seq_ - seq >= capacity_) {
      ++counters_.late;
      return InsertResult::kTooLate;
    }
    // Nothing played yet: a packet that overtook the first ones is waited for, not dropped.
    head_seq_ = seq;
    head_ts_ = ts;
  }
  if (has(seq)) {
    ++counters_.duplicates;
    return InsertResult::kDuplicate;
  }
  while (seq - head_seq_ >= capacity_) drop_head(counters_.overflow_drops);
  store(slot(seq), seq, ts, packet);
  if (seq == head_seq_) head_ts_ = ts;  // replaces the estimate (after a gap or a DTX pause)
  if (seq > newest_seq_) {
    newest_seq_ = seq;
    newest_ts_ = ts;
  }
  learn_packet_length(seq);
  const int64_t max_depth = ms_to_samples(config_.max_delay_ms);
  while (depth_samples() > max_depth && head_seq_ < newest_seq_) {
    drop_head(counters_.overflow_drops);
  }
  return InsertResult::kInserted;
}

TUTTI_RT PopResult JitterBuffer::pop() noexcept {
  if (!synced_) return {};
  if (buffering_) {
    if (depth_samples() < ms_to_samples(target_ms_)) return {};
    buffering_ = false;
  }
  maybe_shrink();
  PopResult result;
  result.timestamp = static_cast<uint32_t>(head_ts_);
  result.samples = static_cast<uint32_t>(head_length());
  if (has(head_seq_)) {
    const Slot& s = slot(head_seq_);
    result.status = PopStatus::kPacket;
    result.payload = std::span<const uint8_t>(s.payload, s.bytes);
    result.payload_type = s.payload_type;
  } else if (newest_seq_ > head_seq_) {
    result.status = PopStatus::kLost;
    ++counters_.lost;
  } else {
    // Ran dry: wait until the target delay has built up again rather than conceal a stream that
    // may have paused.
    buffering_ = true;
    ++counters_.underruns;
    return {};
  }
  advance_head();
  played_ = true;
  return result;
}

TUTTI_RT std::span<const uint8_t> JitterBuffer::next_payload() const noexcept {
  if (!synced_ || !has(head_seq_)) return {};
  const Slot& s = slot(head_seq_);
  return {s.payload, s.bytes};
}

TUTTI_RT void JitterBuffer::reset() noexcept {
  for (int64_t i = 0; i < capacity_; ++i) slots_[static_cast<std::size_t>(i)].seq = kFree;
  synced_ = false;
  buffering_ = true;
  played_ = false;
  have_transit_ = false;
  pops_since_shrink_ = 0;
}

JitterCounters JitterBuffer::counters() const noexcept {
  JitterCounters c = counters_;
  c.current_depth_ms = depth_ms();
  c.target_delay_ms = target_ms_;
  c.jitter_ms = jitter_ms_;
  return c;
}

int JitterBuffer::depth_ms() const noexcept {
  if (!synced_) return 0;
  return static_cast<int>(std::max<int64_t>(0, depth_samples()) * 1000 / config_.clock_rate_hz);
}

int64_t JitterBuffer::unwrap_seq(uint16_t seq) const noexcept {
  const auto delta = static_cast<int16_t>(static_cast<uint16_t>(seq - newest_seq_));
  return newest_seq_ + delta;
}

int64_t JitterBuffer::unwrap_ts(uint32_t ts) const noexcept {
  const auto delta = static_cast<int32_t>(ts - static_cast<uint32_t>(newest_ts_));
  return newest_ts_ + delta;
}

int64_t JitterBuffer::ms_to_samples(int ms) const noexcept {
  return int64_t{ms} * config_.clock_rate_hz / 1000;
}

// The head's length: up to the next packet when it is here, else the last length seen.
int64_t JitterBuffer::head_length() const noexcept {
  if (has(head_seq_ + 1)) {
    const int64_t d = slot(head_seq_ + 1).ts - head_ts_;
    if (d > 0 && d <= ms_to_samples(kMaxPacketMs)) return d;
  }
  return packet_samples_;
}

void JitterBuffer::start_stream(const RtpPacketView& packet, int64_t arrival_ms) noexcept {
  reset();
  synced_ = true;
  ssrc_ = packet.ssrc;
  head_seq_ = newest_seq_ = kSeqBase + packet.seq;
  head_ts_ = newest_ts_ = packet.timestamp;
  packet_samples_ = ms_to_samples(config_.frame_ms);
  store(slot(head_seq_), head_seq_, head_ts_, packet);
  update_jitter(head_ts_, arrival_ms);
}

void JitterBuffer::store(Slot& s, int64_t seq, int64_t ts, const RtpPacketView& packet) noexcept {
  s.seq = seq;
  s.ts = ts;
  s.bytes = static_cast<uint16_t>(packet.payload.size());
  s.payload_type = packet.payload_type;
  if (!packet.payload.empty()) std::memcpy(s.payload, packet.payload.data(), s.bytes);
}

// ptime changes show up as a new timestamp step between consecutive sequence numbers.
void JitterBuffer::learn_packet_length(int64_t seq) noexcept {
  const int64_t ts = slot(seq).ts;
  const int64_t longest = ms_to_samples(kMaxPacketMs);
  if (has(seq - 1)) {
    const int64_t d = ts - slot(seq - 1).ts;
    if (d > 0 && d <= longest) packet_samples_ = d;
  }
  if (has(seq + 1)) {
    const int64_t d = slot(seq + 1).ts - ts;
    if (d > 0 && d <= longest) packet_samples_ = d;
  }
}

void JitterBuffer::update_jitter(int64_t ts, int64_t arrival_ms) noexcept {
  const double transit_ms =
      static_cast<double>(arrival_ms) - static_cast<double>(ts) * 1000.0 / config_.clock_rate_hz;
  if (have_transit_) {
    jitter_ms_ += (std::abs(transit_ms - last_transit_ms_) - jitter_ms_) * kJitterGain;
  }
  last_transit_ms_ = transit_ms;
  have_transit_ = true;
  const auto wanted = static_cast<int>(std::ceil(kJitterMultiplier * jitter_ms_));
  target_ms_ = std::clamp(wanted, config_.min_delay_ms, config_.max_delay_ms);
}

// Drops the head, counting it in present_counter if it had arrived, as lost if not.
void JitterBuffer::drop_head(uint64_t& present_counter) noexcept {
  ++(has(head_seq_) ? present_counter : counters_.lost);
  advance_head();
}

// Frees the head slot (its bytes stay readable until the next store) and moves on one packet.
void JitterBuffer::advance_head() noexcept {
  const int64_t length = head_length();
  if (has(head_seq_)) slot(head_seq_).seq = kFree;
  ++head_seq_;
  head_ts_ = has(head_seq_) ? slot(head_seq_).ts : head_ts_ + length;
}

void JitterBuffer::maybe_shrink() noexcept {
  if (pops_since_shrink_ < kShrinkIntervalPops) {
    ++pops_since_shrink_;
    return;
  }
  const int64_t excess = depth_samples() - ms_to_samples(target_ms_);
  if (!has(head_seq_) || excess <= 2 * packet_samples_) return;
  drop_head(counters_.latency_drops);
  pops_since_shrink_ = 0;
}

}  // namespace tutti::detail
