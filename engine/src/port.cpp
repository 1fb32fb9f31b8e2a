#include "port.h"

#include <algorithm>
#include <cmath>

#include "tutti/simd/kernels.h"

namespace tutti::detail {

namespace {
float db_to_linear(float db) { return std::pow(10.0f, db / 20.0f); }
}  // namespace

Port::Port(ParticipantId id, RoomId room, const ParticipantConfig& config,
           std::size_t frame_samples, std::size_t input_frames, std::size_t output_frames)
    : id_(id),
      room_(room),
      frame_samples_(frame_samples),
      input_(input_frames),
      output_(output_frames) {
  state.muted = config.muted;
  state.deaf = config.deaf;
  state.gain_in = db_to_linear(config.gain_in_db);
  state.gain_out = db_to_linear(config.gain_out_db);
  state.out_gain_applied = state.gain_out;
}

bool Port::try_push_input(std::span<const int16_t> pcm) noexcept {
  InputFrame* slot = pcm.size() == frame_samples_ ? input_.try_prepare_push() : nullptr;
  if (slot == nullptr) {
    input_dropped_.add();
    return false;
  }
  std::copy(pcm.begin(), pcm.end(), slot->pcm);
  slot->samples = static_cast<uint32_t>(pcm.size());
  slot->mean_square = mean_square_int16(simd::kernels(), pcm.data(), pcm.size());
  input_.commit_push();
  input_frames_.add();
  return true;
}

std::size_t Port::try_pull_output(std::span<int16_t> pcm) noexcept {
  if (pcm.size() < frame_samples_) return 0;
  OutputRef ref;
  while (output_.try_pop(ref)) {
    if (ref.frame == nullptr) {
      std::fill_n(pcm.begin(), frame_samples_, int16_t{0});
      output_frames_.add();
      return frame_samples_;
    }
    const std::size_t got = ref.frame->read(ref.tick, pcm.data(), pcm.size_bytes());
    if (got != SharedFrame::kStale) {
      output_frames_.add();
      return got / sizeof(int16_t);
    }
    output_stale_.add();  // overwritten while queued: try the next, newer frame
  }
  return 0;
}

void Port::attach_media(std::unique_ptr<MediaIn> in, std::unique_ptr<MediaOut> out) noexcept {
  media_in_ = std::move(in);
  media_out_ = std::move(out);
}

bool Port::try_push_rtp(const RtpInput& packet) noexcept {
  if (!media_in_) {
    input_dropped_.add();
    return false;
  }
  return media_in_->push(packet);
}

RtpOutput Port::try_pull_rtp(std::span<uint8_t> payload) noexcept {
  OutputRef ref;
  while (output_.try_pop(ref)) {
    output_frames_.add();
    if (ref.frame == nullptr) return {true, 0, ref.tick};  // nothing to send for this tick
    const std::size_t got = ref.frame->read(ref.tick, payload.data(), payload.size());
    if (got != SharedFrame::kStale) return {true, got, ref.tick};
    output_stale_.add();
  }
  return {};
}

bool Port::push_output(OutputRef ref) noexcept {
  if (output_.try_push(ref)) return true;
  output_dropped_.add();
  return false;
}

LinkCounters Port::counters() const noexcept {
  LinkCounters c;
  c.input_frames = input_frames_.get();
  c.input_dropped = input_dropped_.get();
  c.input_missing = input_missing_.get();
  c.output_frames = output_frames_.get();
  c.output_dropped = output_dropped_.get();
  c.output_stale = output_stale_.get();
  if (media_in_) media_in_->add_counters(c);
  return c;
}

}  // namespace tutti::detail
