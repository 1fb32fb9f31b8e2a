#include "room.h"

#include <algorithm>
#include <cstring>

#include "matrix_router.h"
#include "rt.h"

namespace tutti::detail {

namespace {
constexpr int16_t kSilence[kMaxFrameSamples] = {};
}  // namespace

Room::Room(RoomId id, const RoomConfig& config, std::size_t frame_samples, int tick_ms,
           const simd::KernelTable& kernels, std::shared_ptr<const AudioClip> moh)
    : id_(id),
      config_(config),
      frame_samples_(frame_samples),
      k_(kernels),
      moh_clip_(std::move(moh)) {
  const auto capacity = static_cast<std::size_t>(config.max_participants);
  const auto max_mixed = 2 * static_cast<std::size_t>(config.max_speakers);
  members_.reserve(capacity);
  candidates_.reserve(capacity);
  mixed_.reserve(max_mixed);
  mixed_buffers_.assign(max_mixed * frame_samples, 0.0f);
  sum_.assign(frame_samples, 0.0f);
  scratch_.assign(frame_samples, 0.0f);
  pcm_.assign(frame_samples, 0);
  shared_ = std::make_unique<SharedFrame[]>(kFrameSlots);
  if (config.routing == RoutingMode::kMatrix) {
    matrix_ = std::make_unique<MatrixRouter>(capacity, frame_samples);
  }
  hangover_frames_ = config.talk_hangover_ms / tick_ms;
  for (auto* buffer : {&extra_, &zeros_, &moh_buffer_, &prompt_buffer_}) {
    buffer->assign(frame_samples, 0.0f);
  }
  if (moh_clip_) {
    moh_ = ClipPlayer(moh_clip_.get(), ClipMode::kLoop);
    has_moh_ = true;
  }
  const int rate_hz = static_cast<int>(frame_samples) * 1000 / tick_ms;
  join_tone_ = ToneSource::join_beep(rate_hz);
  leave_tone_ = ToneSource::leave_beep(rate_hz);
}

Room::~Room() = default;

void Room::add(Port* port) noexcept {
  port->state.talk.configure(config_.talk_on_dbfs, config_.talk_off_dbfs, hangover_frames_);
  if (matrix_) port->state.matrix_index = matrix_->attach();
  members_.push_back(port);
}

void Room::remove(Port* port) noexcept {
  auto it = std::find(members_.begin(), members_.end(), port);
  if (it == members_.end()) return;
  if (matrix_) matrix_->detach(port->state.matrix_index);
  *it = members_.back();
  members_.pop_back();
}

void Room::set_route_gain(Port* from, Port* to, float gain) noexcept {
  if (matrix_) matrix_->set_gain(from->state.matrix_index, to->state.matrix_index, gain);
}

TUTTI_RT void Room::tick(uint64_t tick, EventSink& events) noexcept {
  encodes_ = 0;
  decodes_ = 0;
  pull_inputs(tick, events);
  if (matrix_) {
    route_matrix(tick);
  } else {
    select_speakers();
    sum_speakers();
    publish_shared(tick);
    publish_outputs(tick);
  }
  release_inputs();
  stats_mixed_.store(static_cast<uint32_t>(mixed_.size()), std::memory_order_relaxed);
  stats_encodes_.store(encodes_, std::memory_order_relaxed);
  stats_decodes_.store(decodes_, std::memory_order_relaxed);
}

// Takes (without copying) each member's next input frame and runs talk detection on the level
// its network thread measured.
// Muted and held members are not measured: they cannot be heard, so they are not talking.
TUTTI_RT void Room::pull_inputs(uint64_t tick, EventSink& events) noexcept {
  for (Port* port : members_) {
    auto& s = port->state;
    s.selected = false;
    s.mixed = false;
    take_input(*port);
    TalkDetector::Change change;
    if (s.muted || s.held) {
      s.mean_square = 0.0f;
      change = s.talk.reset();
    } else if (s.frame == nullptr) {
      s.mean_square = 0.0f;
      change = s.talk.update(0.0f);  // a lost frame is quiet, the hangover still applies
    } else {
      s.mean_square = s.frame->mean_square * s.gain_in * s.gain_in;
      change = s.talk.update(s.mean_square);
    }
    if (change == TalkDetector::Change::kStarted) {
      events.emit(EventType::kTalkingStarted, id_, port->id(), tick,
                  TalkDetector::mean_square_to_dbfs(s.mean_square));
    } else if (change == TalkDetector::Change::kStopped) {
      events.emit(EventType::kTalkingStopped, id_, port->id(), tick);
    }
  }
}

// A PCM participant's frame is its input ring's front (popped after the tick); a codec
// participant's is decoded into the port, and only when it may be heard.
TUTTI_RT void Room::take_input(Port& port) noexcept {
  auto& s = port.state;
  s.frame = nullptr;
  s.frame_from_ring = false;
  if (MediaIn* in = port.media_in()) {
    InputFrame& frame = port.decoded();
    const MediaIn::Frame got = in->pull(!s.muted && !s.held, frame.pcm, &frame.mean_square);
    decodes_ += in->decodes_last_pull();
    if (got == MediaIn::Frame::kAudio) s.frame = &frame;
    if (got == MediaIn::Frame::kNone) port.count_missing_input();
  } else {
    s.frame = port.input().front();
    s.frame_from_ring = s.frame != nullptr;
    if (s.frame == nullptr) port.count_missing_input();
  }
  if (s.frame != nullptr && !s.muted && !s.held && port.preprocessor() != nullptr) {
    clean_up(port);
  }
  if (s.recording != nullptr) {
    s.recording->try_write(s.frame != nullptr ? s.frame->pcm : kSilence, frame_samples_);
  }
}

// Denoise / AGC in place (a PCM frame is first copied out of the ring slot, which stays
// owned by the ring until the tick pops it), then the level is measured again.
TUTTI_RT void Room::clean_up(Port& port) noexcept {
  auto& s = port.state;
  InputFrame& frame = port.decoded();
  if (s.frame != &frame) {
    std::copy_n(s.frame->pcm, frame_samples_, frame.pcm);
    s.frame = &frame;
  }
  port.preprocessor()->run(frame.pcm);
  frame.mean_square = mean_square_int16(k_, frame.pcm, frame_samples_);
}

// Talkers, loudest first, up to max_speakers.
TUTTI_RT void Room::select_speakers() noexcept {
  candidates_.clear();
  for (Port* port : members_) {
    const auto& s = port->state;
    if (s.frame != nullptr && s.talk.talking()) candidates_.push_back(port);
  }
  const auto cap = static_cast<std::size_t>(config_.max_speakers);
  if (candidates_.size() > cap) {
    std::partial_sort(candidates_.begin(), candidates_.begin() + static_cast<std::ptrdiff_t>(cap),
                      candidates_.end(), [](const Port* a, const Port* b) {
                        return a->state.mean_square > b->state.mean_square;
                      });
    candidates_.resize(cap);
  }
  for (Port* port : candidates_) port->state.selected = true;
}

TUTTI_RT void Room::ramp_input(Port& port, float target_gain, float* out) noexcept {
  auto& s = port.state;
  k_.int16_to_float(out, s.frame->pcm, frame_samples_);
  if (s.mix_gain_applied != 1.0f || target_gain != 1.0f) {
    k_.gain_ramp(out, out, s.mix_gain_applied, target_gain, frame_samples_);
  }
  s.mix_gain_applied = target_gain;
}

// S = sum of the selected speakers, plus last tick's speakers ramping out to zero.
TUTTI_RT void Room::sum_speakers() noexcept {
  mixed_.clear();
  std::fill(sum_.begin(), sum_.end(), 0.0f);
  for (Port* port : members_) {
    auto& s = port->state;
    const float target = s.selected ? s.gain_in : 0.0f;
    if (target == 0.0f && s.mix_gain_applied == 0.0f) continue;
    if (s.frame == nullptr || mixed_.size() == mixed_.capacity()) {
      s.mix_gain_applied = 0.0f;  // nothing to fade: the input is already silent
      continue;
    }
    float* buffer = mixed_buffers_.data() + mixed_.size() * frame_samples_;
    ramp_input(*port, target, buffer);
    k_.accumulate(sum_.data(), buffer, frame_samples_);
    mixed_.push_back({port, buffer});
    s.mixed = true;
    s.mixed_samples = buffer;
  }
  add_room_sources();
}

// outputs = G * inputs: each member's row of X is its gain-ramped input (zero when muted or
// not talking); each output row goes through the same gain, limiter and queue as a speaker's.
TUTTI_RT void Room::route_matrix(uint64_t tick) noexcept {
  for (Port* port : members_) {
    auto& s = port->state;
    float* row = matrix_->input_row(s.matrix_index);
    const bool audible = s.frame != nullptr && !s.muted && s.talk.talking();
    const float target = audible ? s.gain_in : 0.0f;
    if (s.frame != nullptr && (target != 0.0f || s.mix_gain_applied != 0.0f)) {
      ramp_input(*port, target, row);
    } else {
      std::fill_n(row, frame_samples_, 0.0f);
      s.mix_gain_applied = 0.0f;
    }
  }
  matrix_->route();
  for (Port* port : members_) {
    if (port->state.deaf) {
      port->push_output(OutputRef{});
      continue;
    }
    const float* row = matrix_->output_row(port->state.matrix_index);
    std::copy_n(row, frame_samples_, scratch_.begin());
    publish_private(*port, scratch_.data(), tick);
  }
}

TUTTI_RT void Room::release_inputs() noexcept {
  for (Port* port : members_) {
    if (port->state.frame_from_ring) port->input().pop();
    port->state.frame = nullptr;
    port->state.frame_from_ring = false;
  }
}

RoomStats Room::stats() const noexcept {
  RoomStats st;
  st.mixed = stats_mixed_.load(std::memory_order_relaxed);
  st.encodes = stats_encodes_.load(std::memory_order_relaxed);
  st.decodes = stats_decodes_.load(std::memory_order_relaxed);
  return st;
}

}  // namespace tutti::detail
