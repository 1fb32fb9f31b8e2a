#include "media_out.h"

#include <algorithm>
#include <cmath>

#include "rt.h"

namespace tutti::detail {

namespace {

int codec_rate(const codecs::CodecInfo& codec, const MediaConfig& media) {
  return codec.id == codecs::CodecId::kOpus ? media.opus_sample_rate_hz : codec.sample_rate_hz;
}

Status wrap(const char* what, const codecs::Status& s) {
  return {StatusCode::kInvalidArgument, std::string(what) + ": " + s.message()};
}

Result<std::unique_ptr<codecs::RtResampler>> make_resampler(int from_hz, int to_hz) {
  if (from_hz == to_hz) return std::unique_ptr<codecs::RtResampler>();
  auto rs = codecs::RtResampler::create(from_hz, to_hz);
  if (!rs.ok()) return wrap("resampler", rs.status());
  return std::move(rs.value());
}

}  // namespace

EncodeKey encode_key(const codecs::CodecInfo& codec, const MediaConfig& m, float gain_out_db) {
  const bool opus = codec.id == codecs::CodecId::kOpus;
  return EncodeKey{codec.id,
                   codec_rate(codec, m),
                   opus ? m.opus_bitrate_bps : 0,
                   opus ? m.opus_complexity : 0,
                   opus && m.opus_fec,
                   opus && m.opus_dtx,
                   static_cast<int>(std::lround(gain_out_db * 100.0f))};
}

Result<std::unique_ptr<EncodeChain>> EncodeChain::create(const codecs::CodecInfo& codec,
                                                         const MediaConfig& m, int tick_ms) {
  codecs::EncoderOptions options;
  options.sample_rate_hz = codec_rate(codec, m);
  options.bitrate_bps = m.opus_bitrate_bps;
  options.complexity = m.opus_complexity;
  options.inband_fec = m.opus_fec;
  options.expected_loss_pct = m.opus_fec ? 5 : 0;
  // libopus's own DTX classifies steady tones (and some hold music) as inactive and stops
  // sending them; the engine knows when a mix is really silent, so it decides instead.
  options.dtx = false;
  auto encoder = codecs::create_encoder(codec, options);
  if (!encoder.ok()) return wrap("encoder", encoder.status());
  auto chain = std::make_unique<EncodeChain>();
  chain->encoder_ = std::move(encoder.value());
  chain->dtx_ = codec.id == codecs::CodecId::kOpus && m.opus_dtx;
  chain->samples_ = static_cast<std::size_t>(options.sample_rate_hz / 1000 * tick_ms);
  chain->pcm_.assign(chain->samples_, 0);
  chain->payload_.assign(kMaxFrameBytes, 0);
  return chain;
}

TUTTI_RT void EncodeChain::encode(const float* in, SharedFrame& slot, uint64_t tick,
                                  const simd::KernelTable& k) noexcept {
  // DTX: a frame below half an LSB everywhere is silence; publish "send nothing" (0 bytes).
  constexpr float kSilentPeak = 0.5f / 32768.0f;
  if (dtx_ && k.peak(in, samples_) < kSilentPeak) {
    slot.publish(tick, payload_.data(), 0);
    return;
  }
  k.float_to_int16(pcm_.data(), in, samples_);
  const int bytes = encoder_->encode(pcm_, payload_);
  slot.publish(tick, payload_.data(), bytes > 0 ? static_cast<std::size_t>(bytes) : 0);
}

Result<std::unique_ptr<EncodeGroup>> EncodeGroup::create(const codecs::CodecInfo& codec,
                                                         const MediaConfig& m, float gain_out_db,
                                                         int room_rate_hz, int tick_ms) {
  auto chain = EncodeChain::create(codec, m, tick_ms);
  if (!chain) return chain.status();
  auto rs = make_resampler(room_rate_hz, codec_rate(codec, m));
  if (!rs) return rs.status();
  auto g = std::make_unique<EncodeGroup>();
  g->key_ = encode_key(codec, m, gain_out_db);
  g->gain_ = std::pow(10.0f, gain_out_db / 20.0f);
  g->chain_ = std::move(*chain);
  g->resampler_ = std::move(*rs);
  g->branch_.assign(g->chain_->samples(), 0.0f);
  g->scratch_.assign(g->chain_->samples(), 0.0f);
  g->slots_ = std::make_unique<SharedFrame[]>(kFrameSlots);
  return g;
}

TUTTI_RT const float* EncodeGroup::branch(const float* sum, std::size_t room_samples,
                                          uint64_t tick) noexcept {
  if (!resampler_) return sum;
  if (branch_tick_ != tick) {
    resampler_->process(std::span<const float>(sum, room_samples), branch_);
    branch_tick_ = tick;
  }
  return branch_.data();
}

TUTTI_RT void EncodeGroup::listener_mix(const float* sum, std::size_t room_samples, uint64_t tick,
                                        float knee, const simd::KernelTable& k,
                                        float* out) noexcept {
  const float* s = branch(sum, room_samples, tick);
  const std::size_t n = chain_->samples();
  if (gain_ != 1.0f) {
    k.gain_ramp(out, s, gain_, gain_, n);
    k.soft_limit(out, out, knee, n);
  } else {
    k.soft_limit(out, s, knee, n);
  }
}

TUTTI_RT const SharedFrame* EncodeGroup::shared(const float* sum, std::size_t room_samples,
                                                uint64_t tick, float knee,
                                                const simd::KernelTable& k,
                                                uint32_t& encodes) noexcept {
  SharedFrame& slot = slots_[tick % kFrameSlots];
  if (encoded_tick_ != tick) {
    listener_mix(sum, room_samples, tick, knee, k, scratch_.data());
    chain_->encode(scratch_.data(), slot, tick, k);
    encoded_tick_ = tick;
    ++encodes;
  }
  return &slot;
}

Result<std::unique_ptr<MediaOut>> MediaOut::create(const codecs::CodecInfo& codec,
                                                   const MediaConfig& m, int room_rate_hz,
                                                   int tick_ms) {
  auto chain = EncodeChain::create(codec, m, tick_ms);
  if (!chain) return chain.status();
  auto rs = make_resampler(room_rate_hz, codec_rate(codec, m));
  if (!rs) return rs.status();
  auto out = std::make_unique<MediaOut>();
  out->chain_ = std::move(*chain);
  out->resampler_ = std::move(*rs);
  out->own_.assign(out->chain_->samples(), 0.0f);
  out->scratch_.assign(out->chain_->samples(), 0.0f);
  return out;
}

TUTTI_RT const float* MediaOut::own_at_codec_rate(const float* own,
                                                  std::size_t room_samples) noexcept {
  if (!resampler_) return own;
  resampler_->process(std::span<const float>(own, room_samples), own_);
  return own_.data();
}

}  // namespace tutti::detail
