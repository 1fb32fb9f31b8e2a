// Talk detection with hysteresis: starts at once above the "on" level, stops only after the
// level has stayed below the lower "off" level for the hangover time. Two thresholds and a
// hangover keep a talker from flapping in and out of the mix between words.
// Works on mean-square energy (no logarithms on the tick). Tick-only state.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "tutti/simd/kernels.h"

namespace tutti::detail {

// Mean of x^2 over an int16 frame, x scaled to [-1, 1]: the level talk detection works on.
inline float mean_square_int16(const simd::KernelTable& k, const int16_t* pcm,
                               std::size_t samples) noexcept {
  constexpr float kFullScaleSquared = 32768.0f * 32768.0f;
  return static_cast<float>(k.sum_squares_int16(pcm, samples)) /
         (kFullScaleSquared * static_cast<float>(samples));
}

class TalkDetector {
 public:
  enum class Change { kNone, kStarted, kStopped };

  void configure(float on_dbfs, float off_dbfs, int hangover_frames) noexcept {
    on_energy_ = dbfs_to_mean_square(on_dbfs);
    off_energy_ = dbfs_to_mean_square(off_dbfs);
    hangover_frames_ = hangover_frames;
  }

  // mean_square: mean of x^2 over the frame, x in [-1, 1].
  Change update(float mean_square) noexcept {
    if (!talking_) {
      if (mean_square > on_energy_) {
        talking_ = true;
        quiet_frames_ = 0;
        return Change::kStarted;
      }
      return Change::kNone;
    }
    if (mean_square >= off_energy_) {
      quiet_frames_ = 0;
    } else if (++quiet_frames_ > hangover_frames_) {
      talking_ = false;
      return Change::kStopped;
    }
    return Change::kNone;
  }

  // Forced stop (muted, left): reports kStopped when it was talking.
  Change reset() noexcept {
    const bool was = talking_;
    talking_ = false;
    quiet_frames_ = 0;
    return was ? Change::kStopped : Change::kNone;
  }

  bool talking() const noexcept { return talking_; }

  static float dbfs_to_mean_square(float dbfs) noexcept { return std::pow(10.0f, dbfs / 10.0f); }
  static float mean_square_to_dbfs(float ms) noexcept {
    return ms > 1e-20f ? 10.0f * std::log10(ms) : -200.0f;
  }

 private:
  float on_energy_ = 0.0f;
  float off_energy_ = 0.0f;
  int hangover_frames_ = 0;
  int quiet_frames_ = 0;
  bool talking_ = false;
};

}  // namespace tutti::detail
