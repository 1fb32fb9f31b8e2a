#include "sources.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <utility>

#include "tutti/codecs/audio_file.h"

namespace tutti::detail {
namespace {

constexpr int kMinRateHz = 8000;
constexpr int kMaxRateHz = 192000;

bool valid_rate(int rate_hz) { return rate_hz >= kMinRateHz && rate_hz <= kMaxRateHz; }

std::string rate_message(int rate_hz) {
  return "rate must be in [" + std::to_string(kMinRateHz) + ", " + std::to_string(kMaxRateHz) +
         "] Hz (got " + std::to_string(rate_hz) + ")";
}

StatusCode map_import_error(codecs::ErrorCode code) {
  switch (code) {
    case codecs::ErrorCode::kNotFound:
      return StatusCode::kNotFound;
    case codecs::ErrorCode::kInvalidArgument:
    case codecs::ErrorCode::kUnsupported:
    case codecs::ErrorCode::kCorruptData:
      return StatusCode::kInvalidArgument;
    case codecs::ErrorCode::kIoError:
      return StatusCode::kUnavailable;
    default:
      return StatusCode::kInternal;
  }
}

Status too_long(std::size_t samples, int rate_hz, const std::string& what) {
  return {StatusCode::kInvalidArgument,
          what + " is " + std::to_string(samples / static_cast<std::size_t>(rate_hz)) +
              " s long; clips are limited to " + std::to_string(kMaxClipSeconds) + " s"};
}

uint32_t ms_to_samples(int ms, int rate_hz) {
  return static_cast<uint32_t>(static_cast<int64_t>(ms) * rate_hz / 1000);
}

}  // namespace

Result<std::shared_ptr<const AudioClip>> load_clip(const std::string& path, int room_rate_hz) {
  if (!valid_rate(room_rate_hz)) {
    return Status(StatusCode::kInvalidArgument,
                  "load_clip " + path + ": " + rate_message(room_rate_hz));
  }
  auto imported = codecs::import_audio_file(path, room_rate_hz, codecs::ImportQuality::kBest);
  if (!imported) {
    return Status(map_import_error(imported.status().code()),
                  "cannot load audio clip " + path + ": " + imported.status().message());
  }
  const std::size_t limit = static_cast<std::size_t>(kMaxClipSeconds) * room_rate_hz;
  if (imported->samples.size() > limit) {
    return too_long(imported->samples.size(), room_rate_hz, "audio clip " + path);
  }
  return std::shared_ptr<const AudioClip>(
      std::make_shared<AudioClip>(std::move(imported->samples), room_rate_hz));
}

Result<std::shared_ptr<const AudioClip>> make_clip(std::vector<float> samples, int rate_hz) {
  if (!valid_rate(rate_hz)) {
    return Status(StatusCode::kInvalidArgument, "make_clip: " + rate_message(rate_hz));
  }
  if (samples.size() > static_cast<std::size_t>(kMaxClipSeconds) * rate_hz) {
    return too_long(samples.size(), rate_hz, "clip");
  }
  return std::shared_ptr<const AudioClip>(std::make_shared<AudioClip>(std::move(samples), rate_hz));
}

// --- ClipPlayer ------------------------------------------------------------------------------

void ClipPlayer::fill(float* out, std::size_t n) noexcept {
  const std::size_t size = clip_ != nullptr ? clip_->size() : 0;
  if (size == 0) {
    std::fill_n(out, n, 0.0f);
    return;
  }
  const float* src = clip_->samples().data();
  while (n > 0) {
    if (position_ >= size) {
      if (mode_ != ClipMode::kLoop) {
        std::fill_n(out, n, 0.0f);
        return;
      }
      position_ = 0;  // seamless wrap, possibly in the middle of the caller's frame
    }
    const std::size_t chunk = std::min(n, size - position_);
    for (std::size_t i = 0; i < chunk; ++i) out[i] = gain_ * src[position_ + i];
    out += chunk;
    n -= chunk;
    position_ += chunk;
  }
}

bool ClipPlayer::finished() const noexcept {
  if (clip_ == nullptr || clip_->size() == 0) return true;
  return mode_ == ClipMode::kOneShot && position_ >= clip_->size();
}

// --- ToneSource ------------------------------------------------------------------------------

Result<ToneSource> ToneSource::create(std::span<const ToneSegment> segments, bool repeat,
                                      int rate_hz) {
  if (!valid_rate(rate_hz)) return Status(StatusCode::kInvalidArgument, rate_message(rate_hz));
  if (segments.empty() || segments.size() > kMaxSegments) {
    return Status(StatusCode::kInvalidArgument,
                  "a tone needs 1 to " + std::to_string(kMaxSegments) + " segments (got " +
                      std::to_string(segments.size()) + ")");
  }
  const float nyquist = static_cast<float>(rate_hz) / 2.0f;
  ToneSource source;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const ToneSegment& s = segments[i];
    const std::string where = "tone segment " + std::to_string(i) + ": ";
    // Written so that NaN frequencies fail too.
    const bool f1_ok = s.freq1_hz > 0.0f && s.freq1_hz < nyquist;
    const bool f2_ok = s.freq2_hz == 0.0f || (s.freq2_hz > 0.0f && s.freq2_hz < nyquist);
    if (!f1_ok || !f2_ok) {
      return Status(StatusCode::kInvalidArgument,
                    where + "frequencies must be in (0, " + std::to_string(rate_hz / 2) + ") Hz");
    }
    if (s.duration_ms <= 0 || s.duration_ms > 60'000 || s.gap_ms < 0 || s.gap_ms > 60'000) {
      return Status(StatusCode::kInvalidArgument,
                    where + "duration must be in (0, 60000] ms and gap in [0, 60000] ms");
    }
    if (!std::isfinite(s.level_dbfs) || s.level_dbfs > 0.0f) {
      return Status(StatusCode::kInvalidArgument, where + "level must be <= 0 dBFS");
    }
    Step& step = source.steps_[i];
    step.increment1 = static_cast<double>(s.freq1_hz) / rate_hz;
    step.increment2 = static_cast<double>(s.freq2_hz) / rate_hz;
    step.amplitude = std::pow(10.0f, s.level_dbfs / 20.0f);
    step.tone_samples = std::max<uint32_t>(1, ms_to_samples(s.duration_ms, rate_hz));
    step.gap_samples = ms_to_samples(s.gap_ms, rate_hz);
    step.fade_samples = std::min(ms_to_samples(kFadeMs, rate_hz), step.tone_samples / 2);
  }
  source.count_ = segments.size();
  source.repeat_ = repeat;
  return source;
}

Result<ToneSource> ToneSource::dtmf(char digit, int duration_ms, float level_dbfs, int rate_hz) {
  static constexpr char kKeys[4][5] = {"123A", "456B", "789C", "*0#D"};
  static constexpr float kRowHz[4] = {697.0f, 770.0f, 852.0f, 941.0f};
  static constexpr float kColumnHz[4] = {1209.0f, 1336.0f, 1477.0f, 1633.0f};
  const char key = (digit >= 'a' && digit <= 'd') ? static_cast<char>(digit - 'a' + 'A') : digit;
  for (int row = 0; row < 4; ++row) {
    for (int column = 0; column < 4; ++column) {
      if (kKeys[row][column] != key) continue;
      const ToneSegment segment{kRowHz[row], kColumnHz[column], duration_ms, level_dbfs, 0};
      return create({&segment, 1}, false, rate_hz);
    }
  }
  const int code = static_cast<unsigned char>(digit);
  return Status(
      StatusCode::kInvalidArgument,
      "not a DTMF digit (character code " + std::to_string(code) + "); expected 0-9, *, #, A-D");
}

ToneSource ToneSource::join_beep(int rate_hz) {
  static constexpr ToneSegment kBeep[] = {{1400.0f, 0.0f, 120, -16.0f, 0}};
  auto source = create(kBeep, false, rate_hz);
  return source ? std::move(*source) : ToneSource();
}

ToneSource ToneSource::leave_beep(int rate_hz) {
  static constexpr ToneSegment kBeeps[] = {{1000.0f, 0.0f, 110, -16.0f, 40},
                                           {700.0f, 0.0f, 150, -16.0f, 0}};
  auto source = create(kBeeps, false, rate_hz);
  return source ? std::move(*source) : ToneSource();
}

void ToneSource::restart() noexcept {
  segment_ = 0;
  position_ = 0;
  phase1_ = 0.0;
  phase2_ = 0.0;
}

void ToneSource::fill(float* out, std::size_t n) noexcept {
  while (n > 0) {
    if (segment_ >= count_) {
      std::fill_n(out, n, 0.0f);
      return;
    }
    const Step& step = steps_[segment_];
    std::size_t chunk;
    if (position_ < step.tone_samples) {
      chunk = std::min<std::size_t>(n, step.tone_samples - position_);
      render_tone(step, out, chunk);
    } else {
      chunk = std::min<std::size_t>(n, step.tone_samples + step.gap_samples - position_);
      std::fill_n(out, chunk, 0.0f);
    }
    out += chunk;
    n -= chunk;
    position_ += static_cast<uint32_t>(chunk);
    if (position_ >= step.tone_samples + step.gap_samples) {
      position_ = 0;
      phase1_ = 0.0;  // every tone starts at phase 0, under its fade-in
      phase2_ = 0.0;
      if (++segment_ == count_ && repeat_) segment_ = 0;
    }
  }
}

// n samples of the current step's tone starting at position_ (all within the tone part).
void ToneSource::render_tone(const Step& step, float* out, std::size_t n) noexcept {
  constexpr double kTwoPi = 2.0 * std::numbers::pi;
  const uint32_t fade = step.fade_samples;
  const bool dual = step.increment2 > 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const uint32_t p = position_ + static_cast<uint32_t>(i);
    double value = std::sin(kTwoPi * phase1_);
    if (dual) value += std::sin(kTwoPi * phase2_);
    phase1_ += step.increment1;
    phase1_ -= std::floor(phase1_);
    phase2_ += step.increment2;
    phase2_ -= std::floor(phase2_);
    // Raised-cosine fade over the first and last `fade` samples: 0 at both ends of the tone.
    const uint32_t from_edge = std::min(p, step.tone_samples - 1 - p);
    double envelope = 1.0;
    if (from_edge < fade) {
      envelope = 0.5 - 0.5 * std::cos(std::numbers::pi * from_edge / fade);
    }
    out[i] = static_cast<float>(value * envelope) * step.amplitude;
  }
}

}  // namespace tutti::detail
