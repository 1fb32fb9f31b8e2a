// Signal generators and detectors for tests: tones in, tone levels out.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace tutti::test {

// Phase-continuous sine generator (float, full scale 1.0).
class ToneGenerator {
 public:
  ToneGenerator(double freq_hz, double amplitude, int sample_rate_hz);
  void fill(std::span<float> out);
  void fill(std::span<int16_t> out);

 private:
  double phase_ = 0.0;
  double step_;
  double amplitude_;
};

// Level of one frequency in a block, in dB relative to a full-scale sine (Goertzel, Hann window).
// A full-scale sine at exactly freq_hz reads about 0 dB.
double tone_level_db(std::span<const float> x, double freq_hz, int sample_rate_hz);
double tone_level_db(std::span<const int16_t> x, double freq_hz, int sample_rate_hz);

// RMS in dBFS (a full-scale sine is about -3 dB); -200 for exact silence.
double rms_db(std::span<const float> x);

std::vector<float> to_float(std::span<const int16_t> x);

}  // namespace tutti::test
