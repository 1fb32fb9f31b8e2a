// A captured caller's audio as a WAV file: its payloads decoded in capture order and placed at
// their capture times, so pauses and lost packets stay silence of the same length.
//
// Control plane only (decodes a whole call, writes a file).
#pragma once

#include <cstddef>
#include <string>

#include "tutti/capture/capture.h"
#include "tutti/status.h"

namespace tutti::replay {

struct AudioTrack {
  std::string path;
  int sample_rate_hz = 0;
  double seconds = 0;
  std::size_t packets = 0;  // audio packets decoded into it
  std::size_t undecodable = 0;
};

// Writes `call`'s sent audio from `origin_time` (capture seconds; earlier packets are left out)
// to `path`, at least `min_seconds` long. The call's codec must be PCMU, PCMA, G722 or opus.
// Telephone-event packets are left out and the time they took is removed, because the replay
// pauses the audio while it sends its own digits.
Result<AudioTrack> write_audio_track(const capture::CapturedCall& call, double origin_time,
                                     double min_seconds, const std::string& path);

}  // namespace tutti::replay
