// The audio one virtual participant received, on the scenario's timeline: decoded PCM placed
// by RTP timestamp (so network jitter does not smear it) and anchored to arrival time (so a
// new stream, or a sender that jumps, lands where it was heard). Unwritten time is silence.
//
// Storage is one-second chunks, allocated only where audio arrived: a phone that joins late
// or sits on hold costs nothing for the time before.
//
// Threads: none of its own; PhoneMedia guards it with its mutex. write() may allocate (a new
// chunk once a second).
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <vector>

namespace tutti::runner {

class HeardAudio {
 public:
  explicit HeardAudio(int sample_rate_hz = 8000) : rate_hz_(sample_rate_hz) {}

  int sample_rate_hz() const { return rate_hz_; }
  // Forgets everything and switches rate (a new codec).
  void reset(int sample_rate_hz);

  // Writes pcm at absolute sample index `first` (index 0 = scenario time 0; may be negative).
  void write(int64_t first, std::span<const int16_t> pcm);
  // Samples [first, first + count); silence where nothing was written.
  std::vector<int16_t> read(int64_t first, std::size_t count) const;

  // Arrival times of audio packets, in µs; kept sorted (later arrivals are appended).
  void note_arrival(int64_t arrival_us);
  bool any_arrival(int64_t from_us, int64_t to_us) const;

 private:
  int rate_hz_;
  std::map<int64_t, std::vector<int16_t>> chunks_;  // chunk index -> rate_hz_ samples
  std::vector<int64_t> arrivals_us_;
};

}  // namespace tutti::runner
