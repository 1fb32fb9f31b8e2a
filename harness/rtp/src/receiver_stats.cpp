#include "tutti/rtp/receiver_stats.h"

#include <algorithm>
#include <cstdlib>

namespace tutti::rtp {
namespace {

constexpr uint16_t kMaxDropout = 3000;
constexpr uint16_t kMaxMisorder = 100;
constexpr uint32_t kSequenceMod = 1u << 16;

}  // namespace

void RtpReceiverStats::restart(uint16_t sequence) {
  base_sequence_ = sequence;
  max_sequence_ = sequence;
  bad_sequence_ = kSequenceMod + 1;
  cycles_ = 0;
  received_ = 0;
  expected_prior_ = 0;
  received_prior_ = 0;
}

// RFC 3550 A.1 update_seq() without the probation of new sources: the harness trusts the
// first packet. Returns false for a packet that is not counted (an unconfirmed big jump).
bool RtpReceiverStats::update_sequence(uint16_t sequence) {
  const auto delta = static_cast<uint16_t>(sequence - max_sequence_);
  if (delta < kMaxDropout) {
    if (sequence < max_sequence_) cycles_ += kSequenceMod;  // wrapped
    max_sequence_ = sequence;
  } else if (delta <= kSequenceMod - kMaxMisorder) {
    if (sequence == bad_sequence_) {
      restart(sequence);  // two sequential packets after a jump: the sender restarted
    } else {
      bad_sequence_ = (sequence + 1u) & (kSequenceMod - 1);
      return false;
    }
  }
  // Otherwise a duplicate or a reordered packet: counted, max unchanged.
  return true;
}

void RtpReceiverStats::on_packet(uint16_t sequence, uint32_t rtp_timestamp,
                                 uint32_t arrival_rtp_units) {
  if (!started_) {
    started_ = true;
    restart(sequence);
  } else if (!update_sequence(sequence)) {
    return;
  }
  ++received_;

  // A.8: transit differences are taken modulo 2^32, so wrap-around of either clock cancels.
  const auto transit = static_cast<int32_t>(arrival_rtp_units - rtp_timestamp);
  if (have_transit_) {
    const int64_t d = std::llabs(int64_t{transit} - transit_);
    const int64_t next = int64_t{jitter_q4_} + d - ((int64_t{jitter_q4_} + 8) >> 4);
    jitter_q4_ = static_cast<uint32_t>(std::clamp<int64_t>(next, 0, UINT32_MAX));
  }
  have_transit_ = true;
  transit_ = transit;
}

uint32_t RtpReceiverStats::expected() const {
  if (!started_) return 0;
  return extended_highest_sequence() - base_sequence_ + 1;
}

int32_t RtpReceiverStats::cumulative_lost() const {
  const int64_t lost = int64_t{expected()} - int64_t{received_};
  return static_cast<int32_t>(std::clamp<int64_t>(lost, -0x800000, 0x7FFFFF));
}

ReportBlock RtpReceiverStats::take_report_block(uint32_t ssrc) {
  ReportBlock block;
  block.ssrc = ssrc;
  const uint32_t expected_now = expected();
  const uint32_t expected_interval = expected_now - expected_prior_;
  const uint32_t received_interval = received_ - received_prior_;
  expected_prior_ = expected_now;
  received_prior_ = received_;
  const int64_t lost_interval = int64_t{expected_interval} - int64_t{received_interval};
  if (expected_interval != 0 && lost_interval > 0) {
    block.fraction_lost = static_cast<uint8_t>(
        std::min<int64_t>((lost_interval << 8) / expected_interval, 255));
  }
  block.cumulative_lost = cumulative_lost();
  block.extended_highest_sequence = extended_highest_sequence();
  block.jitter = jitter();
  return block;
}

}  // namespace tutti::rtp
