// Audio sources a room mixes in besides its participants: clips from files (music on hold,
// prompts) and generated tones (join/leave beeps, DTMF feedback).
//
// Threads and ownership:
//   control    load_clip / make_clip / ToneSource::create / dtmf / the presets. These allocate
//              (clips) or validate and return a Status; none of them runs on the tick.
//   tick       ClipPlayer::fill / restart, ToneSource::fill / restart, finished(): real-time
//              safe (no allocation, lock, free, I/O or refcount traffic).
//
// An AudioClip is immutable once made and shared as std::shared_ptr<const AudioClip> by any
// number of players. A ClipPlayer holds only a raw `const AudioClip*`, so the tick never touches
// a reference count: the control plane must keep a shared_ptr to the clip alive for as long as
// any player built on it may still run, i.e. until that player has been retired from the tick
// back to the control plane. A ToneSource holds everything by value (no heap at all), so it can
// be copied into a tick-owned slot.
//
// Both fill() calls *write* (overwrite) n samples; the caller adds them into its mix.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "rt.h"
#include "tutti/status.h"

namespace tutti::detail {

// Longest clip accepted: memory per clip stays bounded (10 min at 48 kHz mono = 110 MiB).
inline constexpr int kMaxClipSeconds = 600;

// Mono float samples (full scale ±1.0) at a room's rate. Immutable.
class AudioClip {
 public:
  AudioClip(std::vector<float> samples, int sample_rate_hz)
      : samples_(std::move(samples)), sample_rate_hz_(sample_rate_hz) {}

  std::span<const float> samples() const noexcept { return samples_; }
  std::size_t size() const noexcept { return samples_.size(); }
  int sample_rate_hz() const noexcept { return sample_rate_hz_; }

 private:
  const std::vector<float> samples_;
  const int sample_rate_hz_;
};

// Control plane (allocates). Reads a WAV/FLAC/Ogg file, downmixes to mono and resamples to
// room_rate_hz. Missing, unreadable or corrupt files and clips longer than kMaxClipSeconds give
// an error naming the path and the reason.
Result<std::shared_ptr<const AudioClip>> load_clip(const std::string& path, int room_rate_hz);

// Control plane (allocates). Wraps samples already at rate_hz (generated audio, tests); refuses
// a bad rate or more than kMaxClipSeconds.
Result<std::shared_ptr<const AudioClip>> make_clip(std::vector<float> samples, int rate_hz);

enum class ClipMode {
  kOneShot,  // plays once, then zeros; finished() afterwards
  kLoop,     // wraps seamlessly (within a frame) forever; never finished
};

// Plays one clip. Built on the control plane; fill/restart/set_gain on the tick.
class ClipPlayer {
 public:
  ClipPlayer() = default;  // no clip: writes zeros, finished
  // `clip` must outlive this player (see the ownership rule at the top of this file).
  ClipPlayer(const AudioClip* clip, ClipMode mode, float gain = 1.0f) noexcept
      : clip_(clip), mode_(mode), gain_(gain) {}

  // Tick; real-time safe. Writes the next n samples times gain to out (overwrites) and advances.
  TUTTI_RT void fill(float* out, std::size_t n) noexcept;
  // True once a one-shot clip has played to its end (always for an empty or absent clip).
  bool finished() const noexcept;
  // Tick; back to the clip's first sample.
  TUTTI_RT void restart() noexcept { position_ = 0; }
  // Tick; takes effect at the next fill (the caller ramps if it needs to).
  TUTTI_RT void set_gain(float gain) noexcept { gain_ = gain; }
  std::size_t position() const noexcept { return position_; }

 private:
  const AudioClip* clip_ = nullptr;
  ClipMode mode_ = ClipMode::kOneShot;
  float gain_ = 1.0f;
  std::size_t position_ = 0;
};

// One step of a tone sequence: freq1 (+ freq2 for a dual tone) for duration_ms, then gap_ms of
// silence. level_dbfs is the level of each sine (0 dBFS = a full-scale sine), so a dual tone's
// peak is up to 6 dB higher.
struct ToneSegment {
  float freq1_hz = 0.0f;
  float freq2_hz = 0.0f;  // 0 = single tone
  int duration_ms = 0;
  float level_dbfs = -20.0f;
  int gap_ms = 0;  // silence after the tone
};

// A generated tone sequence of up to kMaxSegments segments, played once or repeated. Holds no
// heap memory: phase accumulators keep tones continuous across frames, and every tone is faded
// in and out over ~5 ms (raised cosine) so segment edges do not click.
class ToneSource {
 public:
  static constexpr std::size_t kMaxSegments = 4;
  static constexpr int kFadeMs = 5;

  ToneSource() = default;  // empty: writes zeros, finished

  // Control plane. Refuses no or too many segments, a rate outside [8000, 192000], a
  // non-positive duration, a negative gap, or a frequency outside (0, rate / 2).
  static Result<ToneSource> create(std::span<const ToneSegment> segments, bool repeat, int rate_hz);
  // Control plane. The DTMF pair for 0-9, *, #, A-D (a-d too), played once at level_dbfs per
  // tone; any other digit is refused.
  static Result<ToneSource> dtmf(char digit, int duration_ms, float level_dbfs, int rate_hz);
  // Control plane. One short high tone.
  static ToneSource join_beep(int rate_hz);
  // Control plane. A falling pair of short tones.
  static ToneSource leave_beep(int rate_hz);

  // Tick; real-time safe. Writes (overwrites) the next n samples and advances.
  TUTTI_RT void fill(float* out, std::size_t n) noexcept;
  // True once a non-repeating sequence has played through its last gap (always when empty).
  bool finished() const noexcept { return segment_ >= count_; }
  // Tick; back to the start of the first segment.
  TUTTI_RT void restart() noexcept;

 private:
  struct Step {
    double increment1 = 0.0;  // cycles per sample
    double increment2 = 0.0;
    float amplitude = 0.0f;
    uint32_t tone_samples = 0;
    uint32_t gap_samples = 0;
    uint32_t fade_samples = 0;
  };

  TUTTI_RT void render_tone(const Step& step, float* out, std::size_t n) noexcept;

  std::array<Step, kMaxSegments> steps_{};
  std::size_t count_ = 0;
  bool repeat_ = false;
  std::size_t segment_ = 0;  // current step; count_ when finished
  uint32_t position_ = 0;    // samples into the current step (tone, then gap)
  double phase1_ = 0.0;      // cycles, in [0, 1)
  double phase2_ = 0.0;
};

}  // namespace tutti::detail
