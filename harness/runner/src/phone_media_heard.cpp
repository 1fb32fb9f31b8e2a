#include <algorithm>

#include "tutti/runner/heard_audio.h"

namespace tutti::runner {
namespace {

// Floor division, so negative sample indices fall into chunk -1, -2, ...
int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

void HeardAudio::reset(int sample_rate_hz) {
  rate_hz_ = sample_rate_hz;
  chunks_.clear();
  arrivals_us_.clear();
}

void HeardAudio::write(int64_t first, std::span<const int16_t> pcm) {
  std::size_t done = 0;
  while (done < pcm.size()) {
    const int64_t index = first + static_cast<int64_t>(done);
    const int64_t chunk = floor_div(index, rate_hz_);
    const auto offset = static_cast<std::size_t>(index - chunk * rate_hz_);
    std::vector<int16_t>& samples = chunks_[chunk];
    if (samples.empty()) samples.assign(static_cast<std::size_t>(rate_hz_), 0);
    const std::size_t n = std::min(pcm.size() - done, samples.size() - offset);
    std::copy_n(pcm.begin() + static_cast<std::ptrdiff_t>(done), n,
                samples.begin() + static_cast<std::ptrdiff_t>(offset));
    done += n;
  }
}

std::vector<int16_t> HeardAudio::read(int64_t first, std::size_t count) const {
  std::vector<int16_t> out(count, 0);
  std::size_t done = 0;
  while (done < count) {
    const int64_t index = first + static_cast<int64_t>(done);
    const int64_t chunk = floor_div(index, rate_hz_);
    const auto offset = static_cast<std::size_t>(index - chunk * rate_hz_);
    const std::size_t n = std::min(count - done, static_cast<std::size_t>(rate_hz_) - offset);
    if (auto it = chunks_.find(chunk); it != chunks_.end()) {
      std::copy_n(it->second.begin() + static_cast<std::ptrdiff_t>(offset), n,
                  out.begin() + static_cast<std::ptrdiff_t>(done));
    }
    done += n;
  }
  return out;
}

void HeardAudio::note_arrival(int64_t arrival_us) {
  if (!arrivals_us_.empty() && arrival_us < arrivals_us_.back()) arrival_us = arrivals_us_.back();
  arrivals_us_.push_back(arrival_us);
}

bool HeardAudio::any_arrival(int64_t from_us, int64_t to_us) const {
  auto it = std::lower_bound(arrivals_us_.begin(), arrivals_us_.end(), from_us);
  return it != arrivals_us_.end() && *it < to_us;
}

}  // namespace tutti::runner
