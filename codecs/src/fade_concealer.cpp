#include "tutti/codecs/fade_concealer.h"

#include <algorithm>
#include <cstddef>

namespace tutti::codecs {

FadeConcealer::FadeConcealer(int sample_rate_hz, int max_frame_ms)
    : history_(static_cast<size_t>(std::max(1, sample_rate_hz * max_frame_ms / 1000))),
      fade_len_samples_(std::max(1, sample_rate_hz * kFadeMs / 1000)) {}

void FadeConcealer::remember(std::span<const int16_t> pcm) {
  const size_t n = std::min(pcm.size(), history_.size());
  std::copy(pcm.end() - static_cast<std::ptrdiff_t>(n), pcm.end(), history_.begin());
  history_len_ = static_cast<int>(n);
  read_pos_ = 0;
  concealed_samples_ = 0;
}

int FadeConcealer::conceal(std::span<int16_t> pcm) {
  for (int16_t& sample : pcm) {
    if (history_len_ == 0 || concealed_samples_ >= fade_len_samples_) {
      sample = 0;
      continue;
    }
    const float gain =
        1.0f - static_cast<float>(concealed_samples_) / static_cast<float>(fade_len_samples_);
    sample =
        static_cast<int16_t>(static_cast<float>(history_[static_cast<size_t>(read_pos_)]) * gain);
    read_pos_ = read_pos_ + 1 == history_len_ ? 0 : read_pos_ + 1;
    ++concealed_samples_;
  }
  return static_cast<int>(pcm.size());
}

void FadeConcealer::reset() {
  history_len_ = 0;
  read_pos_ = 0;
  concealed_samples_ = 0;
}

}  // namespace tutti::codecs
