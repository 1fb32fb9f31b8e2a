// Tick-safe: nothing here.
// Not tick-safe: import_audio_file*, which read files and allocate (control side only).
//
// import_audio_file: reads WAV/FLAC/Ogg (libsndfile), downmixes to mono and converts to the
// target rate (libsamplerate), e.g. when a prompt or music-on-hold file is loaded; the samples
// are then handed to the tick.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tutti/codecs/status.h"

namespace tutti::codecs {

enum class ImportQuality {
  kMedium,  // SRC_SINC_MEDIUM_QUALITY: fast, transparent for speech and prompts
  kBest,    // SRC_SINC_BEST_QUALITY: for music on hold
};

struct ImportedAudio {
  std::vector<float> samples;  // mono, full scale ±1.0
  int sample_rate_hz = 0;
  int source_rate_hz = 0;
  int source_channels = 0;
};

// Missing, unreadable, corrupt or truncated files give an error Status naming the file and the
// reason; they never crash.
Result<ImportedAudio> import_audio_file(const std::string& path, int target_rate_hz,
                                        ImportQuality quality = ImportQuality::kMedium);

// Same, converted to int16 with saturation.
Result<std::vector<int16_t>> import_audio_file_int16(
    const std::string& path, int target_rate_hz, ImportQuality quality = ImportQuality::kMedium);

}  // namespace tutti::codecs
