// Speech-like noise: pink-ish noise (white noise through three leaky integrators at spread
// corner frequencies, a DC blocker in front of the output) shaped by a syllable envelope:
// half-sine syllables of 100-250 ms, 30-120 ms apart, with a 300-700 ms pause after every 3-8
// of them. Its level moves like speech does over 100 ms windows, and no frequency stands out.
#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <random>

#include "tutti/runner/audio_source.h"

namespace tutti::runner {
namespace {

class PinkFilter {
 public:
  explicit PinkFilter(int sample_rate_hz) {
    constexpr double kCornersHz[kPoles] = {60.0, 600.0, 3000.0};
    for (int i = 0; i < kPoles; ++i) {
      pole_[i] = std::exp(-2.0 * std::numbers::pi * kCornersHz[i] / sample_rate_hz);
    }
    dc_pole_ = std::exp(-2.0 * std::numbers::pi * 80.0 / sample_rate_hz);
  }

  double process(double white) {
    // Each stage is a one-pole low-pass; summed with falling weights they approximate a
    // -3 dB/octave slope across the speech band.
    double sum = 0.25 * white;
    for (int i = 0; i < kPoles; ++i) {
      state_[i] = pole_[i] * state_[i] + (1.0 - pole_[i]) * white;
      sum += kWeights[i] * state_[i];
    }
    const double out = sum - dc_in_ + dc_pole_ * dc_out_;
    dc_in_ = sum;
    dc_out_ = out;
    return out;
  }

 private:
  static constexpr int kPoles = 3;
  static constexpr double kWeights[kPoles] = {2.0, 1.2, 0.7};
  double pole_[kPoles] = {};
  double state_[kPoles] = {};
  double dc_pole_ = 0;
  double dc_in_ = 0;
  double dc_out_ = 0;
};

class SyllableEnvelope {
 public:
  SyllableEnvelope(int sample_rate_hz, std::minstd_rand& random)
      : rate_hz_(sample_rate_hz), random_(random) {
    start_syllable();
  }

  double next() {
    if (position_ >= length_) advance();
    const double x = static_cast<double>(position_++) / static_cast<double>(length_);
    return in_syllable_ ? peak_ * std::sin(std::numbers::pi * x) : 0.0;
  }

 private:
  int samples(double from_ms, double to_ms) {
    std::uniform_real_distribution<double> ms(from_ms, to_ms);
    return std::max(1, static_cast<int>(ms(random_) * rate_hz_ / 1000.0));
  }
  void start_syllable() {
    in_syllable_ = true;
    length_ = samples(100, 250);
    std::uniform_real_distribution<double> db(-8.0, 0.0);
    peak_ = std::pow(10.0, db(random_) / 20.0);
    position_ = 0;
  }
  void advance() {
    if (!in_syllable_) {
      start_syllable();
      return;
    }
    in_syllable_ = false;
    position_ = 0;
    if (--syllables_left_ > 0) {
      length_ = samples(30, 120);
      return;
    }
    length_ = samples(300, 700);
    syllables_left_ = std::uniform_int_distribution<int>(3, 8)(random_);
  }

  int rate_hz_;
  std::minstd_rand& random_;
  bool in_syllable_ = true;
  int length_ = 1;
  int position_ = 0;
  int syllables_left_ = 5;
  double peak_ = 1.0;
};

class NoiseSource final : public AudioSource {
 public:
  NoiseSource(double level_dbfs, uint32_t seed, int sample_rate_hz)
      : random_(seed == 0 ? 1 : seed), filter_(sample_rate_hz), envelope_(sample_rate_hz, random_) {
    gain_ = 32767.0 * std::pow(10.0, level_dbfs / 20.0) / calibrate_rms(seed, sample_rate_hz);
  }

  void fill(std::span<int16_t> out) override {
    std::uniform_real_distribution<double> white(-1.0, 1.0);
    for (int16_t& sample : out) {
      const double v = gain_ * envelope_.next() * filter_.process(white(random_));
      sample = static_cast<int16_t>(std::lround(std::clamp(v, -32768.0, 32767.0)));
    }
  }

 private:
  // RMS of the filtered noise before the envelope, from one second of a private generator, so
  // level_dbfs is the RMS at a syllable's peak.
  static double calibrate_rms(uint32_t seed, int sample_rate_hz) {
    std::minstd_rand random(seed + 1);
    std::uniform_real_distribution<double> white(-1.0, 1.0);
    PinkFilter filter(sample_rate_hz);
    double sum = 0;
    for (int i = 0; i < sample_rate_hz; ++i) {
      const double v = filter.process(white(random));
      sum += v * v;
    }
    return std::max(1e-9, std::sqrt(sum / sample_rate_hz));
  }

  std::minstd_rand random_;
  PinkFilter filter_;
  SyllableEnvelope envelope_;
  double gain_ = 0;
};

}  // namespace

std::unique_ptr<AudioSource> create_noise_source(double level_dbfs, uint32_t seed,
                                                 int sample_rate_hz) {
  return std::make_unique<NoiseSource>(level_dbfs, seed, sample_rate_hz);
}

}  // namespace tutti::runner
