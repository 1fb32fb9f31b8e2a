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

double tone_level_db(std::span<const float> x, double freq_hz, int sample_rate_hz) {
  const std::size_t n = x.size();
  if (n == 0) return -200.0;
  const double w = 2.0 * std::numbers::pi * freq_hz / sample_rate_hz;
  double re = 0.0, im = 0.0, window_sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double hann = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / (n - 1 ? n - 1 : 1));
    re += hann * x[i] * std::cos(w * i);
    im -= hann * x[i] * std::sin(w * i);
    window_sum += hann;
  }
  const double amplitude = 2.0 * std::sqrt(re * re + im * im) / window_sum;
  return amplitude > 1e-10 ? 20.0 * std::log10(amplitude) : -200.0;
}

double tone_level_db(std::span<const int16_t> x, double freq_hz, int sample_rate_hz) {
  const std::vector<float> f = to_float(x);
  return tone_level_db(f, freq_hz, sample_rate_hz);
}

double rms_db(std::span<const float> x) {
  double acc = 0.0;
  for (float s : x) acc += static_cast<double>(s) * s;
  if (x.empty() || acc == 0.0) return -200.0;
  return 10.0 * std::log10(acc / x.size());
}

std::vector<float> to_float(std::span<const int16_t> x) {
  std::vector<float> out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = x[i] / 32768.0f;
  return out;
}

}  // namespace tutti::test
