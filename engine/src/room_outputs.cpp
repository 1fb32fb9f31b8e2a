// What every member of a mix-minus room hears this tick, decided in one place
// (Room::publish_outputs):
//   deaf                         nothing
//   held, or alone with music    the room's music on hold (silence when it has none)
//   mixed speaker                S - own
//   listener                     S: the shared frame (PCM) or its group's encode (codecs),
//                                or a private copy when it has an output gain or a prompt
// A prompt for one participant is added to whatever it hears. Room-wide sources (join/leave
// tones, announcements) are part of S, so everybody hears them.
#include <algorithm>

#include "room.h"
#include "rt.h"

namespace tutti::detail {

// Join/leave tones and announcements go into S itself.
TUTTI_RT void Room::add_room_sources() noexcept {
  sources_active_ = false;
  if (!tone_.finished()) {
    tone_.fill(extra_.data(), frame_samples_);
    k_.accumulate(sum_.data(), extra_.data(), frame_samples_);
    sources_active_ = true;
  }
  if (announcement_active_) {
    announcement_.fill(extra_.data(), frame_samples_);
    k_.accumulate(sum_.data(), extra_.data(), frame_samples_);
    sources_active_ = true;
    announcement_active_ = !announcement_.finished();
  }
}

TUTTI_RT void Room::publish_shared(uint64_t tick) noexcept {
  shared_silent_ = mixed_.empty() && !sources_active_;
  if (shared_silent_) {
    std::fill(pcm_.begin(), pcm_.end(), int16_t{0});
  } else {
    k_.soft_limit(scratch_.data(), sum_.data(), config_.limiter_knee, frame_samples_);
    k_.float_to_int16(pcm_.data(), scratch_.data(), frame_samples_);
    shared_[tick % kFrameSlots].publish(tick, pcm_.data(), frame_samples_);
  }
  // The recording holds what a listener hears; a full ring drops (counted), never waits.
  if (recording_ != nullptr) recording_->try_write(pcm_.data(), frame_samples_);
}

TUTTI_RT const float* Room::moh_frame(uint64_t tick) noexcept {
  if (moh_tick_ != tick) {
    moh_.fill(moh_buffer_.data(), frame_samples_);
    moh_tick_ = tick;
  }
  return moh_buffer_.data();
}

// The participant's own prompt and keypad tone for this tick into prompt_buffer_, or nullptr.
TUTTI_RT const float* Room::prompt_frame(Port& port) noexcept {
  auto& s = port.state;
  const bool tone = !s.tone.finished();
  if (!s.prompt_active && !tone) return nullptr;
  if (s.prompt_active) {
    s.prompt.fill(prompt_buffer_.data(), frame_samples_);
    s.prompt_active = !s.prompt.finished();
  } else {
    std::fill(prompt_buffer_.begin(), prompt_buffer_.end(), 0.0f);
  }
  if (tone) {
    s.tone.fill(extra_.data(), frame_samples_);
    k_.accumulate(prompt_buffer_.data(), extra_.data(), frame_samples_);
  }
  return prompt_buffer_.data();
}

TUTTI_RT void Room::publish_outputs(uint64_t tick) noexcept {
  const OutputRef shared{shared_silent_ ? nullptr : &shared_[tick % kFrameSlots], tick};
  const bool alone = members_.size() == 1;
  for (Port* port : members_) {
    auto& s = port->state;
    if (s.deaf) {
      port->push_output(OutputRef{nullptr, tick});
      continue;
    }
    const bool wants_music = s.held || alone;
    if (wants_music && (has_moh_ || s.held)) {
      publish_music(*port, tick);
      continue;
    }
    const float* own = s.mixed ? s.mixed_samples : nullptr;
    const float* prompt = prompt_frame(*port);
    if (port->media_out() != nullptr) {
      if (own != nullptr || prompt != nullptr) {
        publish_codec_own(*port, own, prompt, tick);
      } else {
        publish_codec_listener(*port, tick);
      }
      continue;
    }
    if (own == nullptr && prompt == nullptr && s.gain_out == 1.0f && s.out_gain_applied == 1.0f) {
      port->push_output(shared);
      continue;
    }
    if (own != nullptr) {
      k_.mix_minus(scratch_.data(), sum_.data(), own, frame_samples_);
    } else {
      std::copy(sum_.begin(), sum_.end(), scratch_.begin());
    }
    if (prompt != nullptr) k_.accumulate(scratch_.data(), prompt, frame_samples_);
    publish_private(*port, scratch_.data(), tick);
  }
}

// Held (or alone): the music, plus any prompt; silence when the room has no music.
TUTTI_RT void Room::publish_music(Port& port, uint64_t tick) noexcept {
  const float* prompt = prompt_frame(port);
  if (!has_moh_ && prompt == nullptr) {
    port.push_output(OutputRef{nullptr, tick});
    return;
  }
  if (has_moh_) {
    std::copy_n(moh_frame(tick), frame_samples_, scratch_.begin());
  } else {
    std::fill(scratch_.begin(), scratch_.end(), 0.0f);
  }
  if (prompt != nullptr) k_.accumulate(scratch_.data(), prompt, frame_samples_);
  if (port.media_out() != nullptr) {
    publish_codec_direct(port, scratch_.data(), tick);
  } else {
    publish_private(port, scratch_.data(), tick);
  }
}

// A private mix's last steps before it leaves: the member's output gain (ramped towards its
// target across the frame), then the soft limiter. n is the mix's length at its own rate.
TUTTI_RT void Room::finish_private_mix(Port& port, float* mix, std::size_t n) noexcept {
  auto& s = port.state;
  if (s.out_gain_applied != 1.0f || s.gain_out != 1.0f) {
    k_.gain_ramp(mix, mix, s.out_gain_applied, s.gain_out, n);
    s.out_gain_applied = s.gain_out;
  }
  k_.soft_limit(mix, mix, config_.limiter_knee, n);
}

TUTTI_RT void Room::publish_private(Port& port, float* mix, uint64_t tick) noexcept {
  finish_private_mix(port, mix, frame_samples_);
  k_.float_to_int16(pcm_.data(), mix, frame_samples_);
  SharedFrame& frame = port.private_frame(tick);
  frame.publish(tick, pcm_.data(), frame_samples_);
  port.push_output(OutputRef{&frame, tick});
}

// Moves a codec participant onto its own encoder, continuing the stream its far end was
// decoding (see media_out.h), and sets what its own resampler carries.
TUTTI_RT void Room::enter_own_stream(MediaOut& out, MediaOut::OwnMode mode) noexcept {
  if (!out.on_own_stream) {
    if (!out.chain().copy_state_from(out.group->chain())) out.chain().reset();
    out.on_own_stream = true;
  }
  if (out.own_mode != mode) {
    out.reset_own();
    out.own_mode = mode;
  }
  out.hold_ticks = kSpeakerHoldTicks;
}

TUTTI_RT void Room::encode_own(Port& port, float* mix, std::size_t n, uint64_t tick) noexcept {
  finish_private_mix(port, mix, n);
  SharedFrame& frame = port.private_frame(tick);
  port.media_out()->chain().encode(mix, frame, tick, k_);
  ++encodes_;
  port.push_output(OutputRef{&frame, tick});
}

// A codec speaker (or a listener with a prompt): limit(R(S) - R_k(own - prompt)). Resampling
// is linear, so one shared R(S) serves every speaker of the group's rate.
TUTTI_RT void Room::publish_codec_own(Port& port, const float* own, const float* prompt,
                                      uint64_t tick) noexcept {
  MediaOut& out = *port.media_out();
  enter_own_stream(out, MediaOut::OwnMode::kMinus);
  float* d = extra_.data();  // what to take away from S at the room rate
  if (own != nullptr && prompt != nullptr) {
    k_.mix_minus(d, own, prompt, frame_samples_);
  } else if (own != nullptr) {
    std::copy_n(own, frame_samples_, d);
  } else {
    k_.mix_minus(d, zeros_.data(), prompt, frame_samples_);
  }
  EncodeGroup& group = *out.group;
  const std::size_t n = group.codec_samples();
  const float* others = group.branch(sum_.data(), frame_samples_, tick);
  const float* taken = out.own_at_codec_rate(d, frame_samples_);
  float* mix = out.scratch().data();
  k_.mix_minus(mix, others, taken, n);
  encode_own(port, mix, n, tick);
}

// Music (and prompts) for a codec participant: R_k(x) on its own encoder.
TUTTI_RT void Room::publish_codec_direct(Port& port, const float* x, uint64_t tick) noexcept {
  MediaOut& out = *port.media_out();
  enter_own_stream(out, MediaOut::OwnMode::kDirect);
  const float* resampled = out.own_at_codec_rate(x, frame_samples_);
  const std::size_t n = out.group->codec_samples();
  float* mix = out.scratch().data();
  std::copy_n(resampled, n, mix);
  encode_own(port, mix, n, tick);
}

// A codec listener shares its group's encode, unless it had its own stream within
// kSpeakerHoldTicks: then its own encoder carries on with what the group hears.
TUTTI_RT void Room::publish_codec_listener(Port& port, uint64_t tick) noexcept {
  MediaOut& out = *port.media_out();
  EncodeGroup& group = *out.group;
  port.state.out_gain_applied = port.state.gain_out;  // the group carries the gain
  if (out.on_own_stream) {
    if (out.own_mode != MediaOut::OwnMode::kNone) {
      out.reset_own();  // its own contribution is zero now
      out.own_mode = MediaOut::OwnMode::kNone;
    }
    if (out.hold_ticks > 0) {
      --out.hold_ticks;
      group.listener_mix(sum_.data(), frame_samples_, tick, config_.limiter_knee, k_,
                         out.scratch().data());
      SharedFrame& frame = port.private_frame(tick);
      out.chain().encode(out.scratch().data(), frame, tick, k_);
      ++encodes_;
      port.push_output(OutputRef{&frame, tick});
      return;
    }
    out.on_own_stream = false;
  }
  const SharedFrame* shared =
      group.shared(sum_.data(), frame_samples_, tick, config_.limiter_knee, k_, encodes_);
  port.push_output(OutputRef{shared, tick});
}

}  // namespace tutti::detail
