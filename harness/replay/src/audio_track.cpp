#include "audio_track.h"

#include <sndfile.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <vector>

#include "tutti/codecs/registry.h"

namespace tutti::replay {
namespace {

constexpr double kSlotSeconds = 0.020;  // the unit telephone-event time is removed in

bool is_event(const capture::CapturedCall& call, const capture::CapturedPacket& packet) {
  return call.telephone_event_pt && packet.payload_type == *call.telephone_event_pt;
}

int64_t slot_of(double time, double origin) {
  return static_cast<int64_t>(std::floor((time - origin) / kSlotSeconds + 0.5));
}

// 20 ms slots taken by telephone-events before each packet: the audio after a digit moves
// earlier by that much.
std::vector<int64_t> event_slots_before(const capture::CapturedCall& call, double origin) {
  std::vector<int64_t> before(call.sent.size(), 0);
  std::set<int64_t> slots;
  for (std::size_t i = 0; i < call.sent.size(); ++i) {
    const capture::CapturedPacket& packet = call.sent[i];
    before[i] = static_cast<int64_t>(slots.size());
    if (packet.time >= origin && is_event(call, packet)) slots.insert(slot_of(packet.time, origin));
  }
  return before;
}

Status write_wav(const std::string& path, const std::vector<int16_t>& pcm, int rate_hz) {
  SF_INFO info{};
  info.samplerate = rate_hz;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  if (file == nullptr) return {StatusCode::kInternal, "cannot write " + path};
  const sf_count_t written = sf_write_short(file, pcm.data(), static_cast<sf_count_t>(pcm.size()));
  sf_close(file);
  if (written != static_cast<sf_count_t>(pcm.size())) {
    return {StatusCode::kInternal, "cannot write " + path};
  }
  return Status::ok();
}

}  // namespace

Result<AudioTrack> write_audio_track(const capture::CapturedCall& call, double origin_time,
                                     double min_seconds, const std::string& path) {
  const codecs::CodecInfo* info = codecs::find(call.codec.name, call.codec.clock_rate);
  if (info == nullptr || !info->is_audio) {
    return Status{StatusCode::kInvalidArgument, "no decoder for " + call.codec.name};
  }
  auto decoder = codecs::create_decoder(*info, info->sample_rate_hz, 120);
  if (!decoder) return Status{StatusCode::kInternal, decoder.status().message()};
  AudioTrack track;
  track.path = path;
  track.sample_rate_hz = decoder.value()->sample_rate_hz();
  const double rate = track.sample_rate_hz;
  const std::vector<int64_t> removed = event_slots_before(call, origin_time);
  std::vector<int16_t> pcm;
  std::array<int16_t, 48000 / 1000 * 120> frame{};
  std::size_t end = 0;  // where the previous payload ended: a burst never overwrites
  for (std::size_t i = 0; i < call.sent.size(); ++i) {
    const capture::CapturedPacket& packet = call.sent[i];
    if (packet.time < origin_time || is_event(call, packet)) continue;
    if (packet.payload_type != call.codec.payload_type) continue;
    const int samples = decoder.value()->decode(packet.payload, frame);
    if (samples <= 0) {
      ++track.undecodable;
      continue;
    }
    const double at_s = packet.time - origin_time - static_cast<double>(removed[i]) * kSlotSeconds;
    const auto nominal = static_cast<std::size_t>(std::max(0.0, std::round(at_s * rate)));
    const std::size_t start = std::max(nominal, end);
    end = start + static_cast<std::size_t>(samples);
    if (pcm.size() < end) pcm.resize(end, 0);
    std::copy_n(frame.begin(), samples, pcm.begin() + static_cast<std::ptrdiff_t>(start));
    ++track.packets;
  }
  const auto min_samples = static_cast<std::size_t>(std::ceil(std::max(0.0, min_seconds) * rate));
  if (pcm.size() < min_samples) pcm.resize(min_samples, 0);
  if (pcm.empty()) pcm.resize(static_cast<std::size_t>(rate * kSlotSeconds), 0);
  track.seconds = static_cast<double>(pcm.size()) / rate;
  if (Status written = write_wav(path, pcm, track.sample_rate_hz); !written) return written;
  return track;
}

}  // namespace tutti::replay
