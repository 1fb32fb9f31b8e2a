// What a virtual participant heard, measured: tone levels (Goertzel, as tutti::tone_level_db)
// and overall level. The runner's expectations (hears X, does not hear Y, silence, music) are
// built on these. Control side; they allocate.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace tutti::runner {

// Level of hz in pcm, dB relative to a full-scale sine (0 dB); -200 for nothing.
double tone_db(std::span<const int16_t> pcm, double hz, int sample_rate_hz);
// RMS relative to full scale (a full-scale sine reads about -3 dB); -200 for exact silence.
double rms_dbfs(std::span<const int16_t> pcm);
bool hears_tone(std::span<const int16_t> pcm, double hz, int sample_rate_hz, double min_db);
// True when the RMS stays below max_dbfs (default: well below any talker, above codec noise).
bool is_silent(std::span<const int16_t> pcm, double max_dbfs = -50);

struct ToneLevel {
  double hz = 0;
  double db = -200;
};

struct ToneReport {
  std::vector<ToneLevel> tones;  // one per candidate, in the order given
  double rms_dbfs = -200;
  // Level of the candidate nearest hz (-200 if there are none).
  double level(double hz) const;
  // The loudest candidate ({0, -200} if there are none).
  ToneLevel loudest() const;
};

ToneReport analyse(std::span<const int16_t> pcm, int sample_rate_hz,
                   std::span<const double> candidate_hz);

}  // namespace tutti::runner
