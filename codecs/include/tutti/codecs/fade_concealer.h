// Tick-safe: remember, conceal, reset, concealed_samples.
// Not tick-safe: the constructor (allocates the history).
//
// FadeConcealer: packet-loss concealment for codecs without their own PLC (G.711, G.722).
//
// What a listener hears when frames go missing: the last good frame is repeated (cyclically, so
// any frame length works) under a linear gain ramp that falls from 1 to 0 over kFadeMs of lost
// audio; after that, silence until a good frame arrives. The ramp continues across consecutive
// concealed frames, so a 20 ms codec fades over the first three lost frames and is silent from
// the fourth. This is simpler than G.711 Appendix I (no pitch search) but never buzzes for long
// and never clicks: the first concealed sample starts at full gain where the good audio left off.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace tutti::codecs {

class FadeConcealer {
 public:
  static constexpr int kFadeMs = 60;

  // Allocates history for frames up to max_frame_ms at sample_rate_hz.
  FadeConcealer(int sample_rate_hz, int max_frame_ms);

  // Keeps the tail of a good decoded frame (up to max_frame_ms) and ends any fade. Tick-safe.
  void remember(std::span<const int16_t> pcm);

  // Writes one concealed frame into pcm and returns pcm.size(). Tick-safe.
  int conceal(std::span<int16_t> pcm);

  // Forgets history: concealment is silence until the next remember(). Tick-safe.
  void reset();

  // Number of lost samples concealed since the last good frame.
  int concealed_samples() const { return concealed_samples_; }

 private:
  std::vector<int16_t> history_;  // capacity fixed at construction
  int history_len_ = 0;
  int read_pos_ = 0;
  int fade_len_samples_;
  int concealed_samples_ = 0;
};

}  // namespace tutti::codecs
