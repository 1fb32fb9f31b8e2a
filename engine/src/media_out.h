// The output half of codec participants: the room's mix encoded once per listener group, and
// once per speaker.
//
// Glossary: a *branch* is S resampled to one codec rate (R(S)), computed once per tick per
// group. A speaker hears limit(R(S) - R_k(x_k)): resampling is linear, so the speaker's own
// resampler only has to carry its own contribution x_k, and the expensive R(S) is shared.
// An EncodeGroup is the listeners with the same (codec, rate, settings, output gain); they
// share one encode of limit(gain * R(S)) and every member's output queue points at that
// payload.
//
// Encoder continuity: a listener's decoder has been following its group's stream. When the
// listener starts speaking, its own encoder first copies the group encoder's state
// (codecs::Encoder::copy_state_from; Opus states are position independent, G.711 has none),
// so its private stream continues the one the far end was decoding. When it stops speaking it
// keeps its own stream, now carrying exactly what the group hears, for kSpeakerHoldTicks
// before it rejoins the group's stream; the hold also keeps a talker who pauses between words
// on one stream instead of flapping between two.
#pragma once

#include <memory>
#include <vector>

#include "shared_frame.h"
#include "tutti/codecs/codec.h"
#include "tutti/codecs/registry.h"
#include "tutti/codecs/rt_resampler.h"
#include "tutti/engine.h"
#include "tutti/simd/kernels.h"

namespace tutti::detail {

inline constexpr int kSpeakerHoldTicks = 25;

// Everything that must match for two listeners to share one encode.
struct EncodeKey {
  codecs::CodecId codec;
  int rate_hz;
  int bitrate_bps;
  int complexity;
  bool fec;
  bool dtx;
  int gain_centi_db;  // output gain in 0.01 dB
  friend bool operator==(const EncodeKey&, const EncodeKey&) = default;
};
EncodeKey encode_key(const codecs::CodecInfo& codec, const MediaConfig& media, float gain_out_db);

// An encoder with its int16 scratch: float frame at the codec rate in, payload into a slot.
class EncodeChain {
 public:
  static Result<std::unique_ptr<EncodeChain>> create(const codecs::CodecInfo& codec,
                                                     const MediaConfig& media, int tick_ms);
  // Tick: encodes samples() floats (already limited) and publishes the payload.
  void encode(const float* in, SharedFrame& slot, uint64_t tick,
              const simd::KernelTable& k) noexcept;
  bool copy_state_from(const EncodeChain& other) noexcept {
    return encoder_->copy_state_from(*other.encoder_);
  }
  void reset() noexcept { encoder_->reset(); }
  std::size_t samples() const noexcept { return samples_; }

 private:
  std::unique_ptr<codecs::Encoder> encoder_;
  std::size_t samples_ = 0;
  bool dtx_ = false;  // send nothing while the frame is silent (decided here, not by libopus)
  std::vector<int16_t> pcm_;
  std::vector<uint8_t> payload_;
};

// One listener group: its branch (R(S)), its encoder and the payload slots members point at.
class EncodeGroup {
 public:
  static Result<std::unique_ptr<EncodeGroup>> create(const codecs::CodecInfo& codec,
                                                     const MediaConfig& media, float gain_out_db,
                                                     int room_rate_hz, int tick_ms);
  const EncodeKey& key() const noexcept { return key_; }
  float gain() const noexcept { return gain_; }
  std::size_t codec_samples() const noexcept { return chain_->samples(); }

  // Tick: R(S) for this tick (computed on first use in a tick).
  const float* branch(const float* sum, std::size_t room_samples, uint64_t tick) noexcept;
  // Tick: the group's shared payload for this tick (encoded on first use). Counts encodes.
  const SharedFrame* shared(const float* sum, std::size_t room_samples, uint64_t tick,
                            float limiter_knee, const simd::KernelTable& k,
                            uint32_t& encodes) noexcept;
  // Tick: limit(gain * R(S)) into out (codec samples).
  void listener_mix(const float* sum, std::size_t room_samples, uint64_t tick, float knee,
                    const simd::KernelTable& k, float* out) noexcept;
  const EncodeChain& chain() const noexcept { return *chain_; }

 private:
  EncodeKey key_{};
  float gain_ = 1.0f;
  std::unique_ptr<codecs::RtResampler> resampler_;  // null when codec rate == room rate
  std::vector<float> branch_;
  std::vector<float> scratch_;
  uint64_t branch_tick_ = ~uint64_t{0};
  uint64_t encoded_tick_ = ~uint64_t{0};
  std::unique_ptr<EncodeChain> chain_;
  std::unique_ptr<SharedFrame[]> slots_;
};

// A codec participant's own output: its encoder, and the resampler for its own contribution.
class MediaOut {
 public:
  static Result<std::unique_ptr<MediaOut>> create(const codecs::CodecInfo& codec,
                                                  const MediaConfig& media, int room_rate_hz,
                                                  int tick_ms);
  EncodeChain& chain() noexcept { return *chain_; }
  // Tick: R_k(own) at the codec rate (own == nullptr: the contribution is zero).
  const float* own_at_codec_rate(const float* own, std::size_t room_samples) noexcept;
  void reset_own() noexcept {
    if (resampler_) resampler_->reset();
  }
  std::vector<float>& scratch() noexcept { return scratch_; }

  // Tick state.
  enum class OwnMode { kNone, kMinus, kDirect };  // what the own resampler carries
  EncodeGroup* group = nullptr;
  bool on_own_stream = false;
  OwnMode own_mode = OwnMode::kNone;
  int hold_ticks = 0;

 private:
  std::unique_ptr<EncodeChain> chain_;
  std::unique_ptr<codecs::RtResampler> resampler_;
  std::vector<float> own_;
  std::vector<float> scratch_;
};

}  // namespace tutti::detail
