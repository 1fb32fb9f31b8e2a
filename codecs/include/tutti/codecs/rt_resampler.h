// Tick-safe: process, reset and the accessors.
// Not tick-safe: RtResampler::create (allocates the SpeexDSP filter).
//
// RtResampler: SpeexDSP resampler for the real-time path (fixed 10/20 ms frames between
// 8/16/24/32/48 kHz).
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "tutti/codecs/status.h"

struct SpeexResamplerState_;  // SpeexDSP's opaque state (global namespace)

namespace tutti::codecs {

class RtResampler {
 public:
  // SpeexDSP quality 0..10; 3 keeps the tick cheap while keeping aliasing well under speech.
  static constexpr int kDefaultQuality = 3;

  // Allocates the filter. Rates 1000..192000 Hz; channels 1 or 2 (interleaved).
  [[nodiscard]] static Result<std::unique_ptr<RtResampler>> create(int input_rate_hz,
                                                                   int output_rate_hz,
                                                                   int channels = 1,
                                                                   int quality = kDefaultQuality);

  ~RtResampler();
  RtResampler(const RtResampler&) = delete;
  RtResampler& operator=(const RtResampler&) = delete;

  // Converts `in` (interleaved frames) and returns samples written to `out` (all channels).
  // For frames whose length is a whole number of ms at both rates (e.g. 20 ms 8k -> 48k:
  // 160 in, 960 out) all input is consumed and exactly output_samples_for(in.size()) come out.
  // Returns a negative error_return() if `out` is too small. Tick-safe.
  int process(std::span<const int16_t> in, std::span<int16_t> out);
  int process(std::span<const float> in, std::span<float> out);

  // Output length that matches an input length, for sizing buffers.
  size_t output_samples_for(size_t input_samples) const;

  // Clears filter memory (e.g. after a gap). Tick-safe.
  void reset();

  // Delay the filter adds, in input samples. Output is delayed rather than shortened, so every
  // fixed frame yields a full frame from the first call on.
  int input_latency_samples() const;

  int input_rate_hz() const { return input_rate_hz_; }
  int output_rate_hz() const { return output_rate_hz_; }
  int channels() const { return channels_; }

 private:
  RtResampler(SpeexResamplerState_* state, int input_rate_hz, int output_rate_hz, int channels);

  SpeexResamplerState_* state_;
  int input_rate_hz_;
  int output_rate_hz_;
  int channels_;
};

}  // namespace tutti::codecs
