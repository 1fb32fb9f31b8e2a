#include "support/signals.h"

#include <cmath>
#include <numbers>

namespace tutti::test {

ToneGenerator::ToneGenerator(double freq_hz, double amplitude, int sample_rate_hz)
    : step_(2.0 * std::numbers::pi * freq_hz / sample_rate_hz), amplitude_(amplitude) {}

void ToneGenerator::fill(std::span<float> out) {
  for (float& s : out) {
    s = static_cast<float>(amplitude_ * std::sin(phase_));
    phase_ = std::fmod(phase_ + step_, 2.0 * std::numbers::pi);
  }
}

void ToneGenerator::fill(std::span<int16_t> out) {
  for (int16_t& s : out) {
    s = static_cast<int16_t>(std::lround(32767.0 * amplitude_ * std::sin(phase_)));
    phase_ = std::fmod(phase_ + step_, 2.0 * std::numbers::pi);
  }
}

double rms_db(std::span<const float> x) {
  double acc = 0.0;
  for (float s : x) acc += static_cast<double>(s) * s;
  if (x.empty() || acc == 0.0) return -200.0;
  return 10.0 * std::log10(acc / static_cast<double>(x.size()));
}

double rms_db(std::span<const int16_t> x) {
  const std::vector<float> f = to_float(x);
  return rms_db(std::span<const float>(f));
}

std::vector<float> to_float(std::span<const int16_t> x) {
  std::vector<float> out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = static_cast<float>(x[i]) / 32768.0f;
  return out;
}

}  // namespace tutti::test
