// SpeexDSP allocates its filter tables in speex_resampler_init; process calls only read them and
// update the per-channel history, so they are safe on the tick.
#include "tutti/codecs/rt_resampler.h"

#include <speex/speex_resampler.h>

#include <string>

namespace tutti::codecs {

Result<std::unique_ptr<RtResampler>> RtResampler::create(int input_rate_hz, int output_rate_hz,
                                                         int channels, int quality) {
  auto bad = [](const std::string& what) {
    return Status(ErrorCode::kInvalidArgument, "RtResampler: " + what);
  };
  if (input_rate_hz < 1000 || input_rate_hz > 192000 || output_rate_hz < 1000 ||
      output_rate_hz > 192000) {
    return bad("rates must be 1000..192000 Hz, got " + std::to_string(input_rate_hz) + " -> " +
               std::to_string(output_rate_hz));
  }
  if (channels != 1 && channels != 2) return bad("channels must be 1 or 2");
  if (quality < SPEEX_RESAMPLER_QUALITY_MIN || quality > SPEEX_RESAMPLER_QUALITY_MAX) {
    return bad("quality must be 0..10, got " + std::to_string(quality));
  }
  int err = RESAMPLER_ERR_SUCCESS;
  SpeexResamplerState* state = speex_resampler_init(
      static_cast<spx_uint32_t>(channels), static_cast<spx_uint32_t>(input_rate_hz),
      static_cast<spx_uint32_t>(output_rate_hz), quality, &err);
  if (state == nullptr || err != RESAMPLER_ERR_SUCCESS) {
    return Status(
        err == RESAMPLER_ERR_ALLOC_FAILED ? ErrorCode::kLibraryError : ErrorCode::kInvalidArgument,
        std::string("RtResampler: speex_resampler_init failed: ") + speex_resampler_strerror(err));
  }
  return std::unique_ptr<RtResampler>(
      new RtResampler(state, input_rate_hz, output_rate_hz, channels));
}

RtResampler::RtResampler(SpeexResamplerState_* state, int input_rate_hz, int output_rate_hz,
                         int channels)
    : state_(state),
      input_rate_hz_(input_rate_hz),
      output_rate_hz_(output_rate_hz),
      channels_(channels) {}

RtResampler::~RtResampler() { speex_resampler_destroy(state_); }

int RtResampler::process(std::span<const int16_t> in, std::span<int16_t> out) {
  const auto ch = static_cast<spx_uint32_t>(channels_);
  spx_uint32_t in_frames = static_cast<spx_uint32_t>(in.size()) / ch;
  spx_uint32_t out_frames = static_cast<spx_uint32_t>(out.size()) / ch;
  if (out.size() < output_samples_for(in.size())) {
    return error_return(ErrorCode::kInvalidArgument);
  }
  const int err = channels_ == 1 ? speex_resampler_process_int(state_, 0, in.data(), &in_frames,
                                                               out.data(), &out_frames)
                                 : speex_resampler_process_interleaved_int(
                                       state_, in.data(), &in_frames, out.data(), &out_frames);
  if (err != RESAMPLER_ERR_SUCCESS) return error_return(ErrorCode::kLibraryError);
  return static_cast<int>(out_frames * ch);
}

int RtResampler::process(std::span<const float> in, std::span<float> out) {
  const auto ch = static_cast<spx_uint32_t>(channels_);
  spx_uint32_t in_frames = static_cast<spx_uint32_t>(in.size()) / ch;
  spx_uint32_t out_frames = static_cast<spx_uint32_t>(out.size()) / ch;
  if (out.size() < output_samples_for(in.size())) {
    return error_return(ErrorCode::kInvalidArgument);
  }
  const int err = channels_ == 1 ? speex_resampler_process_float(state_, 0, in.data(), &in_frames,
                                                                 out.data(), &out_frames)
                                 : speex_resampler_process_interleaved_float(
                                       state_, in.data(), &in_frames, out.data(), &out_frames);
  if (err != RESAMPLER_ERR_SUCCESS) return error_return(ErrorCode::kLibraryError);
  return static_cast<int>(out_frames * ch);
}

size_t RtResampler::output_samples_for(size_t input_samples) const {
  const size_t frames = input_samples / static_cast<size_t>(channels_);
  const size_t out_frames =
      (frames * static_cast<size_t>(output_rate_hz_) + static_cast<size_t>(input_rate_hz_) - 1) /
      static_cast<size_t>(input_rate_hz_);
  return out_frames * static_cast<size_t>(channels_);
}

void RtResampler::reset() { speex_resampler_reset_mem(state_); }

int RtResampler::input_latency_samples() const { return speex_resampler_get_input_latency(state_); }

}  // namespace tutti::codecs
