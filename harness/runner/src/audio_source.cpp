#include "tutti/runner/audio_source.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <utility>
#include <vector>

#include "tutti/codecs/audio_file.h"

namespace tutti::runner {

std::unique_ptr<AudioSource> create_noise_source(double level_dbfs, uint32_t seed,
                                                 int sample_rate_hz);  // audio_source_noise.cpp

namespace {

class SilenceSource final : public AudioSource {
 public:
  void fill(std::span<int16_t> out) override { std::fill(out.begin(), out.end(), int16_t{0}); }
};

// Phase-continuous sine; the amplitude makes tone_db() read back level_dbfs.
class ToneSource final : public AudioSource {
 public:
  ToneSource(double hz, double level_dbfs, int sample_rate_hz)
      : step_(2.0 * std::numbers::pi * hz / sample_rate_hz),
        amplitude_(32767.0 * std::pow(10.0, level_dbfs / 20.0)) {}

  void fill(std::span<int16_t> out) override {
    for (int16_t& sample : out) {
      sample = static_cast<int16_t>(
          std::lround(std::clamp(amplitude_ * std::sin(phase_), -32768.0, 32767.0)));
      phase_ += step_;
      if (phase_ > 2.0 * std::numbers::pi) phase_ -= 2.0 * std::numbers::pi;
    }
  }

 private:
  double phase_ = 0.0;
  double step_;
  double amplitude_;
};

class FileSource final : public AudioSource {
 public:
  FileSource(std::vector<int16_t> samples, bool loop) : samples_(std::move(samples)), loop_(loop) {}

  void fill(std::span<int16_t> out) override {
    std::size_t written = 0;
    while (written < out.size()) {
      if (position_ == samples_.size()) {
        if (!loop_ || samples_.empty()) break;
        position_ = 0;
      }
      const std::size_t n = std::min(out.size() - written, samples_.size() - position_);
      std::copy_n(samples_.begin() + static_cast<std::ptrdiff_t>(position_), n,
                  out.begin() + static_cast<std::ptrdiff_t>(written));
      position_ += n;
      written += n;
    }
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(written), out.end(), int16_t{0});
  }

 private:
  std::vector<int16_t> samples_;
  std::size_t position_ = 0;
  bool loop_;
};

}  // namespace

AudioSourceSpec AudioSourceSpec::tone(double hz, double level_dbfs) {
  AudioSourceSpec spec;
  spec.kind = Kind::kTone;
  spec.tone_hz = hz;
  spec.level_dbfs = level_dbfs;
  return spec;
}

AudioSourceSpec AudioSourceSpec::file(std::string path, bool loop) {
  AudioSourceSpec spec;
  spec.kind = Kind::kFile;
  spec.path = std::move(path);
  spec.loop = loop;
  return spec;
}

AudioSourceSpec AudioSourceSpec::noise(double level_dbfs, uint32_t seed) {
  AudioSourceSpec spec;
  spec.kind = Kind::kNoise;
  spec.level_dbfs = level_dbfs;
  spec.seed = seed;
  return spec;
}

Result<std::unique_ptr<AudioSource>> create_audio_source(const AudioSourceSpec& spec,
                                                         int sample_rate_hz) {
  if (sample_rate_hz <= 0) {
    return Status(StatusCode::kInvalidArgument, "audio source: sample rate must be positive");
  }
  switch (spec.kind) {
    case AudioSourceSpec::Kind::kSilence:
      return std::unique_ptr<AudioSource>(std::make_unique<SilenceSource>());
    case AudioSourceSpec::Kind::kTone:
      if (spec.tone_hz <= 0 || spec.tone_hz * 2 >= sample_rate_hz) {
        return Status(StatusCode::kInvalidArgument, "tone of " + std::to_string(spec.tone_hz) +
                                                        " Hz cannot be sent at " +
                                                        std::to_string(sample_rate_hz) + " Hz");
      }
      return std::unique_ptr<AudioSource>(
          std::make_unique<ToneSource>(spec.tone_hz, spec.level_dbfs, sample_rate_hz));
    case AudioSourceSpec::Kind::kFile: {
      auto samples = codecs::import_audio_file_int16(spec.path, sample_rate_hz);
      if (!samples.ok()) return Status(StatusCode::kNotFound, samples.status().message());
      return std::unique_ptr<AudioSource>(
          std::make_unique<FileSource>(std::move(samples.value()), spec.loop));
    }
    case AudioSourceSpec::Kind::kNoise:
      return create_noise_source(spec.level_dbfs, spec.seed, sample_rate_hz);
  }
  return Status(StatusCode::kInvalidArgument, "audio source: unknown kind");
}

}  // namespace tutti::runner
