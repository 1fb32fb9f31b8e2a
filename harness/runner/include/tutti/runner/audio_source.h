// What a virtual participant says: a tone, a WAV file, silence or speech-like noise, produced
// one frame at a time at the codec's PCM rate.
//
// Threads: create_audio_source() is control side (it may read a file and allocates). fill() is
// called by the one media thread of a PhoneMediaPool; it never allocates.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "tutti/status.h"

namespace tutti::runner {

struct AudioSourceSpec {
  enum class Kind { kSilence, kTone, kFile, kNoise };
  Kind kind = Kind::kSilence;
  double tone_hz = 0;       // kTone
  double level_dbfs = -20;  // kTone: tone_db() of the sine; kNoise: RMS while "speaking"
  std::string path;         // kFile: WAV (or anything libsndfile reads), any rate/channels
  bool loop = true;         // kFile: start over at the end (otherwise silence after it)
  uint32_t seed = 1;        // kNoise: the same seed gives the same noise

  static AudioSourceSpec silence() { return {}; }
  static AudioSourceSpec tone(double hz, double level_dbfs = -20);
  static AudioSourceSpec file(std::string path, bool loop = true);
  static AudioSourceSpec noise(double level_dbfs = -20, uint32_t seed = 1);
};

class AudioSource {
 public:
  virtual ~AudioSource() = default;
  // Writes the next out.size() samples. Media thread; never allocates.
  virtual void fill(std::span<int16_t> out) = 0;
};

// Builds the source for PCM at sample_rate_hz. A file that cannot be read gives an error
// naming it; a tone at or above Nyquist gives kInvalidArgument. Control side.
Result<std::unique_ptr<AudioSource>> create_audio_source(const AudioSourceSpec& spec,
                                                         int sample_rate_hz);

}  // namespace tutti::runner
