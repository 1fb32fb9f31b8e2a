// Tick-safe: encode, decode, conceal, decode_fec, reset, accessors, opus_payload_is_dtx.
// Not tick-safe: create_opus_encoder / create_opus_decoder (allocate libopus state).
//
// Opus via libopus, mono, application VOIP; decoder PLC and in-band FEC; DTX reporting.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "tutti/codecs/codec.h"
#include "tutti/codecs/status.h"

// libopus' opaque state types (global namespace), declared here so <opus.h> stays private.
struct OpusEncoder;
struct OpusDecoder;

namespace tutti::codecs {

inline constexpr int kOpusRtpClockRateHz = 48000;
inline constexpr int kOpusMaxPacketBytes = 1275;  // one frame, RFC 6716 §3.2.1

struct OpusEncoderConfig {
  int sample_rate_hz = 48000;  // 8000, 12000, 16000, 24000 or 48000
  int bitrate_bps = 32000;     // 6000..510000
  int complexity = 5;          // 0..10; 5 is a sensible real-time trade-off
  bool inband_fec = false;     // LBRR data so the receiver can rebuild one lost frame
  int expected_loss_pct = 0;   // 0..100; FEC only spends bits when this is > 0
  bool dtx = false;            // discontinuous transmission on silence
};

// True when an Opus payload carries no audio (DTX / comfort frame): 2 bytes or fewer.
// A receiver can skip decoding and treat the participant as silent. Tick-safe.
constexpr bool opus_payload_is_dtx(std::span<const uint8_t> payload) { return payload.size() <= 2; }

class OpusEncoder final : public Encoder {
 public:
  ~OpusEncoder() override;
  OpusEncoder(const OpusEncoder&) = delete;
  OpusEncoder& operator=(const OpusEncoder&) = delete;

  // pcm.size() must be a legal Opus frame (2.5/5/10/20/40/60 ms). Returns payload bytes (<= 2
  // for a DTX frame, which the caller need not send) or a negative error_return(). Tick-safe.
  int encode(std::span<const int16_t> pcm, std::span<uint8_t> out) override;
  int sample_rate_hz() const override { return config_.sample_rate_hz; }
  void reset() override;
  // libopus documents its encoder state as position independent and freely copyable: a memcpy
  // of another mono encoder with the same settings continues that encoder's stream.
  bool copy_state_from(const Encoder& other) override;

  // Whether the last encode() produced a DTX frame (<= 2 bytes).
  bool last_frame_was_dtx() const { return last_frame_was_dtx_; }
  const OpusEncoderConfig& config() const { return config_; }

 private:
  friend Result<std::unique_ptr<OpusEncoder>> create_opus_encoder(const OpusEncoderConfig&);
  OpusEncoder(::OpusEncoder* state, const OpusEncoderConfig& config);

  ::OpusEncoder* state_;
  OpusEncoderConfig config_;
  bool last_frame_was_dtx_ = false;
};

// Decodes mono or stereo payloads to mono PCM (libopus downmixes when created with 1 channel).
class OpusDecoder final : public Decoder {
 public:
  ~OpusDecoder() override;
  OpusDecoder(const OpusDecoder&) = delete;
  OpusDecoder& operator=(const OpusDecoder&) = delete;

  // pcm.size() is the capacity (at most 120 ms). Returns samples decoded or a negative error.
  int decode(std::span<const uint8_t> payload, std::span<int16_t> pcm) override;
  // libopus PLC; pcm.size() must be a multiple of 2.5 ms.
  int conceal(std::span<int16_t> pcm) override;
  // Rebuilds the lost previous frame from next_payload's LBRR data; without LBRR libopus
  // falls back to PLC, so this always fills a whole frame.
  int decode_fec(std::span<const uint8_t> next_payload, std::span<int16_t> pcm) override;
  bool has_fec() const override { return true; }
  int sample_rate_hz() const override { return sample_rate_hz_; }
  void reset() override;

 private:
  friend Result<std::unique_ptr<OpusDecoder>> create_opus_decoder(int);
  OpusDecoder(::OpusDecoder* state, int sample_rate_hz);

  ::OpusDecoder* state_;
  int sample_rate_hz_;
};

// Not tick-safe (allocate). Invalid rates or options give kInvalidArgument with a message.
Result<std::unique_ptr<OpusEncoder>> create_opus_encoder(const OpusEncoderConfig& config);
Result<std::unique_ptr<OpusDecoder>> create_opus_decoder(int sample_rate_hz = 48000);

}  // namespace tutti::codecs
