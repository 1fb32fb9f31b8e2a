// The input half of a codec participant: RTP packets from the network thread, through the
// jitter buffer, decoder (or concealment / FEC) and resampler, into one room-rate frame a tick.
//
// Threads: push() runs on the host's network thread (one producer); everything else on the
// tick. All buffers, the decoder and the resampler are created with the participant on the
// control plane; pull() never allocates.
// Decoding only what may be heard: a muted participant's packets keep the jitter buffer's
// timing but are never decoded; a packet marked silent by its RFC 6464 level, or an Opus DTX
// frame, counts as silence without a decode.
#pragma once

#include <atomic>
#include <memory>

#include "jitter_buffer.h"
#include "port_counter.h"
#include "shared_frame.h"
#include "spsc_ring.h"
#include "talk_detector.h"
#include "tutti/codecs/codec.h"
#include "tutti/codecs/registry.h"
#include "tutti/codecs/rt_resampler.h"
#include "tutti/engine.h"
#include "tutti/simd/kernels.h"

namespace tutti::detail {

struct InputPacket {
  RtpPacketView header;  // payload span unused: bytes/payload below hold the data
  int64_t arrival_ms = 0;
  bool silent = false;  // RFC 6464 level says silence
  uint16_t bytes = 0;
  uint8_t payload[kMaxRtpPayloadBytes];
};

class MediaIn {
 public:
  enum class Frame { kAudio, kSilent, kNone };

  // Control plane.
  static Result<std::unique_ptr<MediaIn>> create(const codecs::CodecInfo& codec,
                                                 const MediaConfig& config, int room_rate_hz,
                                                 int tick_ms, std::size_t ring_packets);

  // Network thread.
  bool push(const RtpInput& packet) noexcept;

  // Tick: one frame at the room rate into out (room frame samples). kAudio: out holds decoded
  // audio and *mean_square its level; kSilent: known silence (not decoded); kNone: no media.
  Frame pull(bool audible, int16_t* out, float* mean_square) noexcept;

  void add_counters(LinkCounters& c) const noexcept;
  uint32_t decodes_last_pull() const noexcept { return decodes_last_pull_; }

 private:
  MediaIn(const codecs::CodecInfo& codec, const MediaConfig& config, int room_rate_hz, int tick_ms,
          std::size_t ring_packets);
  void drain_ring() noexcept;
  // Appends one jitter-buffer frame (codec rate) to pending_; false when the buffer is empty.
  bool decode_next(bool audible) noexcept;

  const codecs::CodecInfo& codec_;
  const int silence_level_dbov_;
  const std::size_t room_frame_;   // samples at the room rate per tick
  const std::size_t codec_frame_;  // samples at the codec rate per tick
  const int codec_rate_hz_;
  const int clock_rate_hz_;  // RTP clock (G.722: 8000 for 16 kHz audio)
  SpscRing<InputPacket> ring_;
  JitterBuffer jitter_;
  std::unique_ptr<codecs::Decoder> decoder_;
  std::unique_ptr<codecs::RtResampler> resampler_;  // null when codec rate == room rate
  static constexpr std::size_t kPendingSamples = 6 * kMaxFrameSamples;  // 120 ms at 48 kHz
  int16_t pending_[kPendingSamples];
  std::size_t pending_count_ = 0;
  bool pending_audio_ = false;  // pending_ holds decoded (not only known-silent) samples
  uint32_t decodes_last_pull_ = 0;
  Counter pushed_, push_dropped_;           // network thread
  Counter lost_, skipped_, decode_errors_;  // tick
  std::atomic<int> depth_ms_{0};
  std::atomic<uint64_t> late_{0};
};

}  // namespace tutti::detail
