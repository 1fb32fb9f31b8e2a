#include "tutti/runner/listen.h"

#include <cmath>
#include <limits>

#include "tutti/tone_meter.h"

namespace tutti::runner {

double tone_db(std::span<const int16_t> pcm, double hz, int sample_rate_hz) {
  return tone_level_db(pcm, hz, sample_rate_hz);
}

double rms_dbfs(std::span<const int16_t> pcm) {
  if (pcm.empty()) return -200.0;
  double sum = 0;
  for (int16_t sample : pcm) sum += static_cast<double>(sample) * sample;
  const double rms = std::sqrt(sum / static_cast<double>(pcm.size())) / 32768.0;
  return rms > 1e-10 ? 20.0 * std::log10(rms) : -200.0;
}

bool hears_tone(std::span<const int16_t> pcm, double hz, int sample_rate_hz, double min_db) {
  return tone_db(pcm, hz, sample_rate_hz) >= min_db;
}

bool is_silent(std::span<const int16_t> pcm, double max_dbfs) { return rms_dbfs(pcm) < max_dbfs; }

double ToneReport::level(double hz) const {
  double best_distance = std::numeric_limits<double>::infinity();
  double db = -200.0;
  for (const ToneLevel& tone : tones) {
    if (std::abs(tone.hz - hz) < best_distance) {
      best_distance = std::abs(tone.hz - hz);
      db = tone.db;
    }
  }
  return db;
}

ToneLevel ToneReport::loudest() const {
  ToneLevel best;
  for (const ToneLevel& tone : tones) {
    if (tone.db > best.db) best = tone;
  }
  return best;
}

ToneReport analyse(std::span<const int16_t> pcm, int sample_rate_hz,
                   std::span<const double> candidate_hz) {
  ToneReport report;
  report.rms_dbfs = rms_dbfs(pcm);
  report.tones.reserve(candidate_hz.size());
  for (double hz : candidate_hz) report.tones.push_back({hz, tone_db(pcm, hz, sample_rate_hz)});
  return report;
}

}  // namespace tutti::runner
