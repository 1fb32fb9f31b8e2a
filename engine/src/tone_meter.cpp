#include "tutti/tone_meter.h"

#include <cmath>
#include <numbers>
#include <vector>

namespace tutti {

double tone_level_db(std::span<const float> x, double freq_hz, int sample_rate_hz) {
  const std::size_t n = x.size();
  if (n < 2) return -200.0;
  const double w = 2.0 * std::numbers::pi * freq_hz / sample_rate_hz;
  const double hann_step = 2.0 * std::numbers::pi / static_cast<double>(n - 1);
  double re = 0.0, im = 0.0, window_sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double hann = 0.5 - 0.5 * std::cos(hann_step * static_cast<double>(i));
    const double phase = w * static_cast<double>(i);
    re += hann * x[i] * std::cos(phase);
    im -= hann * x[i] * std::sin(phase);
    window_sum += hann;
  }
  const double amplitude = 2.0 * std::sqrt(re * re + im * im) / window_sum;
  return amplitude > 1e-10 ? 20.0 * std::log10(amplitude) : -200.0;
}

double tone_level_db(std::span<const int16_t> x, double freq_hz, int sample_rate_hz) {
  std::vector<float> f(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) f[i] = static_cast<float>(x[i]) / 32768.0f;
  return tone_level_db(std::span<const float>(f), freq_hz, sample_rate_hz);
}

}  // namespace tutti
