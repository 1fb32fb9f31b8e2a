// Signal generators and measures for tests: tones in, tone levels out.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "tutti/tone_meter.h"

namespace tutti::test {

using tutti::tone_level_db;

// Phase-continuous sine generator (float full scale 1.0; int16 full scale 32767).
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

// RMS in dBFS (a full-scale sine is about -3 dB); -200 for exact silence.
double rms_db(std::span<const float> x);
double rms_db(std::span<const int16_t> x);

std::vector<float> to_float(std::span<const int16_t> x);

}  // namespace tutti::test
