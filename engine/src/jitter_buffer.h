// Adaptive RTP jitter buffer for one input stream: restores order, drops duplicates and late
// packets, reports gaps for concealment (with the packet after the gap at hand for FEC), and
// adapts its delay to the measured inter-arrival jitter.
//
// Threads: owned by the tick (one thread); no locks, no atomics. The constructor allocates every
// slot; insert(), pop(), reset() and the accessors are real-time safe (no allocation, bounded
// work: at most 2 x max_packets steps).
//
// Model. Packets sit in a ring of max_packets slots indexed by extended sequence number (the
// 16-bit seq unwrapped to 64 bits around the newest packet; 32-bit timestamps likewise). Playout
// follows the sequence: pop() hands out the packet at the head, or kLost when the head is
// missing while a later packet is present, and moves the head on by one packet.
//
// ptime. The caller pulls: it calls pop() whenever its decoded PCM runs short of a tick and keeps
// any decoded remainder. That is once per tick when ptime == tick, every other tick for 40 ms
// packets on a 20 ms tick, twice in one tick for 10 ms packets on a 20 ms tick. PopResult::samples
// is the packet's length in RTP clock units: the timestamp distance to the next packet when that
// one is here, otherwise the last distance seen between consecutive packets (at first frame_ms).
//
// Delay. depth = newest timestamp - head timestamp (audio queued behind the head, in ms).
// target = clamp(3 x jitter, min_delay_ms, max_delay_ms), jitter being the RFC 3550 estimator
// J += (|D| - J) / 16 in ms. pop() answers kEmpty (play silence, not concealment) while
// buffering: after a (re)sync and after an underrun (head missing, nothing later), until depth
// reaches target. So the buffer grows only by waiting when it ran dry, never by inserting gaps
// into a flowing stream. It shrinks by dropping the head packet when depth exceeds target by more
// than two packets, at most one packet every kShrinkIntervalPops pops. insert() bounds depth by
// max_delay_ms and by the slot count, dropping the oldest packets (overflow_drops).
//
// Resync. A new SSRC, a timestamp more than kResyncJumpMs away from where its sequence number
// puts it (a restarted stream, or a DTX pause that long), or a forward sequence jump of
// max_packets or more flushes the buffer and restarts from that packet (resets).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace tutti::detail {

inline constexpr std::size_t kMaxRtpPayloadBytes = 1500;

struct RtpPacketView {
  uint16_t seq = 0;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0;
  uint8_t payload_type = 0;
  bool marker = false;
  std::span<const uint8_t> payload;
};

// Out-of-range values are clamped by the constructor.
struct JitterConfig {
  int clock_rate_hz = 48000;  // RTP clock, [1000, 192000]
  int frame_ms = 20;          // the tick; the assumed packet length until two packets are seen
  int min_delay_ms = 20;      // [0, max_delay_ms]
  int max_delay_ms = 200;     // [frame_ms, 1000]
  int max_packets = 64;       // slots, [2, 1024]
};

enum class InsertResult { kInserted, kDuplicate, kTooLate, kRejected };
enum class PopStatus { kPacket, kLost, kEmpty };

struct PopResult {
  PopStatus status = PopStatus::kEmpty;
  std::span<const uint8_t> payload;  // kPacket: points into the buffer, valid until next insert()
  uint32_t samples = 0;              // kPacket, kLost: frame length in RTP clock units
  uint32_t timestamp = 0;            // kPacket, kLost: RTP timestamp of the frame
  uint8_t payload_type = 0;          // kPacket
};

struct JitterCounters {
  uint64_t received = 0;        // insert() calls
  uint64_t duplicates = 0;      // already buffered
  uint64_t late = 0;            // arrived after their playout
  uint64_t lost = 0;            // never arrived: reported kLost, or skipped by an overflow
  uint64_t overflow_drops = 0;  // buffered packets dropped to keep depth bounded
  uint64_t latency_drops = 0;   // buffered packets dropped to shrink toward the target
  uint64_t underruns = 0;       // ran dry mid-stream and went back to buffering
  uint64_t resets = 0;          // SSRC change, timestamp jump or sequence jump
  uint64_t rejected = 0;        // payload larger than kMaxRtpPayloadBytes
  int current_depth_ms = 0;
  int target_delay_ms = 0;
  double jitter_ms = 0.0;
};

class JitterBuffer {
 public:
  static constexpr int kJitterMultiplier = 3;
  static constexpr int kShrinkIntervalPops = 5;
  static constexpr int kResyncJumpMs = 1000;

  // Control plane: allocates all slots.
  explicit JitterBuffer(const JitterConfig& config);
  JitterBuffer(const JitterBuffer&) = delete;
  JitterBuffer& operator=(const JitterBuffer&) = delete;

  // Tick: files one packet that arrived at arrival_ms (any monotonic millisecond clock).
  InsertResult insert(const RtpPacketView& packet, int64_t arrival_ms) noexcept;

  // Tick: the next frame to play (see the header comment for when to call it).
  PopResult pop() noexcept;

  // Tick: the packet pop() would return next, if it has arrived. Right after pop() returned
  // kLost this is the packet following the gap: give it to Decoder::decode_fec.
  std::span<const uint8_t> next_payload() const noexcept;

  // Tick: forgets the stream (as at a new call); counters and the jitter estimate stay.
  void reset() noexcept;

  JitterCounters counters() const noexcept;
  int depth_ms() const noexcept;
  int target_delay_ms() const noexcept { return target_ms_; }

 private:
  static constexpr int64_t kFree = -1;
  struct Slot {
    int64_t seq = kFree;  // extended sequence number, kFree when empty
    int64_t ts = 0;       // extended timestamp
    uint16_t bytes = 0;
    uint8_t payload_type = 0;
    uint8_t payload[kMaxRtpPayloadBytes];
  };

  Slot& slot(int64_t seq) noexcept { return slots_[static_cast<std::size_t>(seq % capacity_)]; }
  const Slot& slot(int64_t seq) const noexcept {
    return slots_[static_cast<std::size_t>(seq % capacity_)];
  }
  bool has(int64_t seq) const noexcept { return slot(seq).seq == seq; }
  int64_t unwrap_seq(uint16_t seq) const noexcept;
  int64_t unwrap_ts(uint32_t ts) const noexcept;
  int64_t depth_samples() const noexcept { return newest_ts_ - head_ts_; }
  int64_t ms_to_samples(int ms) const noexcept;
  int64_t head_length() const noexcept;

  void start_stream(const RtpPacketView& packet, int64_t arrival_ms) noexcept;
  void store(Slot& s, int64_t seq, int64_t ts, const RtpPacketView& packet) noexcept;
  void learn_packet_length(int64_t seq) noexcept;
  void update_jitter(int64_t ts, int64_t arrival_ms) noexcept;
  void drop_head(uint64_t& present_counter) noexcept;
  void advance_head() noexcept;
  void maybe_shrink() noexcept;

  JitterConfig config_;
  int64_t capacity_;  // slots
  std::unique_ptr<Slot[]> slots_;

  bool synced_ = false;    // a stream is in progress
  bool buffering_ = true;  // waiting for depth to reach the target
  bool played_ = false;    // pop() has moved the head since the stream (re)started
  uint32_t ssrc_ = 0;
  int64_t head_seq_ = 0;  // next to play
  int64_t head_ts_ = 0;
  int64_t newest_seq_ = 0;  // highest received; also the unwrap reference
  int64_t newest_ts_ = 0;
  int64_t packet_samples_;  // last timestamp distance between consecutive packets
  double jitter_ms_ = 0.0;
  double last_transit_ms_ = 0.0;
  bool have_transit_ = false;
  int target_ms_;
  int pops_since_shrink_ = 0;
  JitterCounters counters_;
};

}  // namespace tutti::detail
