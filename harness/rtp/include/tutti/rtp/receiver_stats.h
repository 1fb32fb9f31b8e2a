// Receiver statistics for one incoming RTP source, as RFC 3550 appendix A computes them: the
// extended highest sequence number and packets expected (A.1, A.3), cumulative and interval loss
// (A.3) and interarrival jitter (A.8). The result fills an RTCP report block.
//
// Times are in RTP clock units: the caller converts its arrival clock to the payload's rate
// (8000 Hz for PCMU, 48000 for Opus) so transit-time differences and timestamps compare directly.
//
// Threads: one instance belongs to the thread that receives the stream; nothing here allocates
// and every call is real-time safe.
#pragma once

#include <cstdint>

#include "tutti/rtp/rtcp.h"

namespace tutti::rtp {

class RtpReceiverStats {
 public:
  // A packet arrived. Duplicates and reordered packets count as received (RFC 3550 A.3 lets
  // the loss go negative). A jump of more than 3000 sequence numbers is taken as a restart of
  // the sender once two packets in a row confirm it (A.1).
  void on_packet(uint16_t sequence, uint32_t rtp_timestamp, uint32_t arrival_rtp_units);

  bool has_packets() const { return started_; }
  uint32_t packets_received() const { return received_; }
  // Cycles of 65536 in the high 16 bits, highest sequence number seen in the low 16.
  uint32_t extended_highest_sequence() const { return cycles_ + max_sequence_; }
  uint32_t expected() const;
  // expected - received, clamped to the 24-bit signed range a report block carries.
  int32_t cumulative_lost() const;
  // Interarrival jitter in RTP timestamp units (J in A.8, the value a report block carries).
  uint32_t jitter() const { return jitter_q4_ >> 4; }

  // Builds a report block for ssrc and starts a new interval: fraction_lost covers the packets
  // since the previous call (the A.3 computation, truncating: 5 of 100 lost gives 12/256).
  // last_sr and delay_since_last_sr are left 0 for the caller, who knows the SR times.
  ReportBlock take_report_block(uint32_t ssrc);

 private:
  void restart(uint16_t sequence);
  bool update_sequence(uint16_t sequence);

  bool started_ = false;
  uint16_t max_sequence_ = 0;
  uint32_t cycles_ = 0;  // already shifted: a multiple of 65536
  uint32_t base_sequence_ = 0;
  uint32_t bad_sequence_ = 0x10001;  // outside 16 bits: no pending restart
  uint32_t received_ = 0;
  uint32_t expected_prior_ = 0;
  uint32_t received_prior_ = 0;
  bool have_transit_ = false;
  int32_t transit_ = 0;
  uint32_t jitter_q4_ = 0;  // jitter scaled by 16, as in A.8's integer form
};

}  // namespace tutti::rtp
