// Test helpers: push a tone through an encoder/decoder pair frame by frame.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "support/signals.h"
#include "tutti/codecs/codec.h"

namespace tutti::codecs::testing {

struct ToneRun {
  std::vector<int16_t> input;
  std::vector<int16_t> output;
  std::vector<int> payload_bytes;  // per frame
  bool all_ok = true;
};

// Encodes and decodes `seconds` of a sine in frames of frame_ms. The decoder may run at a
// different rate from the encoder (output is then at decoder.sample_rate_hz()).
inline ToneRun run_tone(Encoder& encoder, Decoder& decoder, double freq_hz, double amplitude,
                        int frame_ms, double seconds) {
  const int in_rate = encoder.sample_rate_hz();
  const int out_rate = decoder.sample_rate_hz();
  const size_t in_frame = static_cast<size_t>(in_rate * frame_ms / 1000);
  const size_t out_frame = static_cast<size_t>(out_rate * frame_ms / 1000);
  const int frames = static_cast<int>(seconds * 1000.0) / frame_ms;
  tutti::test::ToneGenerator tone(freq_hz, amplitude, in_rate);
  ToneRun run;
  std::vector<int16_t> pcm(in_frame);
  std::vector<int16_t> decoded(out_frame);
  std::vector<uint8_t> payload(1500);
  for (int f = 0; f < frames; ++f) {
    tone.fill(std::span<int16_t>(pcm));
    run.input.insert(run.input.end(), pcm.begin(), pcm.end());
    const int bytes = encoder.encode(pcm, payload);
    run.payload_bytes.push_back(bytes);
    if (bytes <= 0) {
      run.all_ok = false;
      continue;
    }
    const int n = decoder.decode(
        std::span<const uint8_t>(payload.data(), static_cast<size_t>(bytes)), decoded);
    if (n != static_cast<int>(out_frame)) run.all_ok = false;
    if (n > 0) run.output.insert(run.output.end(), decoded.begin(), decoded.begin() + n);
  }
  return run;
}

// The steady-state part of a signal (drops codec start-up and filter delay).
inline std::span<const int16_t> steady(const std::vector<int16_t>& x, int sample_rate_hz,
                                       double skip_seconds = 0.2) {
  const size_t skip = static_cast<size_t>(skip_seconds * sample_rate_hz);
  if (skip >= x.size()) return {};
  return std::span<const int16_t>(x).subspan(skip);
}

inline double rms_db(std::span<const int16_t> x) {
  const std::vector<float> f = tutti::test::to_float(x);
  return tutti::test::rms_db(f);
}

}  // namespace tutti::codecs::testing
