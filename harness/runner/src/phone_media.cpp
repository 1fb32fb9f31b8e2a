// PhoneMedia's control side: configuration, source, direction, digits out, and reading back
// what was heard. Encoders, decoders and sources are built before taking the phone's mutex
// (building may read a file), so the media thread waits only for the swap.
#include "tutti/runner/phone_media.h"

#include <arpa/inet.h>
#include <unistd.h>

#include <cmath>
#include <random>
#include <utility>

#include "tutti/codecs/registry.h"

namespace tutti::runner {
namespace {

constexpr int kMaxDecodedSamples = 5760;  // 120 ms at 48 kHz, the longest Opus packet

Status invalid(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message));
}

}  // namespace

PhoneMedia::PhoneMedia(std::string name, std::string local_address, uint16_t rtp_port, int rtp_fd,
                       int rtcp_fd)
    : name_(std::move(name)),
      local_address_(std::move(local_address)),
      rtp_port_(rtp_port),
      rtp_fd_(rtp_fd),
      rtcp_fd_(rtcp_fd),
      decoded_(kMaxDecodedSamples) {
  std::random_device device;
  sequence_ = static_cast<uint16_t>(device());
  timestamp_ = device();
  ssrc_ = device();
}

PhoneMedia::~PhoneMedia() { close_sockets(); }

void PhoneMedia::close_sockets() {
  std::lock_guard lock(mutex_);
  if (rtp_fd_ >= 0) close(rtp_fd_);
  if (rtcp_fd_ >= 0) close(rtcp_fd_);
  rtp_fd_ = -1;
  rtcp_fd_ = -1;
}

Status PhoneMedia::configure(std::string_view codec, int payload_type, int clock_rate_hz,
                             std::optional<int> telephone_event_pt) {
  MediaFormat format;
  format.codec = std::string(codec);
  format.payload_type = payload_type;
  format.clock_rate_hz = clock_rate_hz;
  format.telephone_event_pt = telephone_event_pt;
  return configure(format);
}

Status PhoneMedia::configure(const MediaFormat& format) {
  std::lock_guard control(control_mutex_);
  const codecs::CodecInfo* info = codecs::find(format.codec, format.clock_rate_hz);
  if (info == nullptr || !info->is_audio) {
    return invalid(name_ + ": no audio codec " + format.codec + "/" +
                   std::to_string(format.clock_rate_hz));
  }
  if (format.payload_type < 0 || format.payload_type > 127 ||
      (format.telephone_event_pt &&
       (*format.telephone_event_pt < 0 || *format.telephone_event_pt > 127))) {
    return invalid(name_ + ": payload types must be 0..127");
  }
  auto encoder = codecs::create_encoder(*info);
  if (!encoder.ok()) return invalid(name_ + ": " + encoder.status().message());
  auto decoder = codecs::create_decoder(*info, format.decode_rate_hz, 120);
  if (!decoder.ok()) return invalid(name_ + ": " + decoder.status().message());
  const int encode_rate_hz = encoder.value()->sample_rate_hz();
  auto source = create_audio_source(source_spec_, encode_rate_hz);
  if (!source.is_ok()) return source.status();

  std::unique_ptr<codecs::Encoder> old_encoder = std::move(encoder.value());
  std::unique_ptr<codecs::Decoder> old_decoder = std::move(decoder.value());
  std::unique_ptr<AudioSource> old_source = std::move(source.value());
  std::lock_guard lock(mutex_);
  std::swap(encoder_, old_encoder);
  std::swap(decoder_, old_decoder);
  std::swap(source_, old_source);
  frame_.assign(static_cast<std::size_t>(encode_rate_hz * kPtimeMs / 1000), 0);
  if (decoder_->sample_rate_hz() != heard_.sample_rate_hz()) {
    heard_.reset(decoder_->sample_rate_hz());
  }
  have_source_ = false;  // a new codec: the next packet anchors the timeline afresh
  talkspurt_start_ = true;
  format_ = format;
  return Status::ok();
}

Status PhoneMedia::set_source(const AudioSourceSpec& spec) {
  std::lock_guard control(control_mutex_);
  std::unique_ptr<AudioSource> source;
  int rate_hz = 0;
  {
    std::lock_guard lock(mutex_);
    if (encoder_) rate_hz = encoder_->sample_rate_hz();
  }
  if (rate_hz > 0) {
    auto built = create_audio_source(spec, rate_hz);
    if (!built.is_ok()) return built.status();
    source = std::move(built.value());
  }
  std::lock_guard lock(mutex_);
  source_spec_ = spec;
  if (source) std::swap(source_, source);
  return Status::ok();
}

Status PhoneMedia::set_remote(std::string_view address, uint16_t port) {
  sockaddr_in remote{};
  remote.sin_family = AF_INET;
  remote.sin_port = htons(port);
  const std::string text(address);
  if (port == 0 || inet_pton(AF_INET, text.c_str(), &remote.sin_addr) != 1) {
    return invalid(name_ + ": remote must be a numeric IPv4 address and a port (got " + text + ":" +
                   std::to_string(port) + ")");
  }
  std::lock_guard lock(mutex_);
  remote_ = remote;
  return Status::ok();
}

void PhoneMedia::start_sending() {
  std::lock_guard lock(mutex_);
  if (!sending_) talkspurt_start_ = true;
  sending_ = true;
}

void PhoneMedia::stop_sending() {
  std::lock_guard lock(mutex_);
  sending_ = false;
}

void PhoneMedia::set_hold(bool on_hold) {
  std::lock_guard lock(mutex_);
  if (hold_ && !on_hold) talkspurt_start_ = true;
  hold_ = on_hold;
}

void PhoneMedia::set_muted(bool muted) {
  std::lock_guard lock(mutex_);
  muted_ = muted;
}

bool PhoneMedia::is_sending() const {
  std::lock_guard lock(mutex_);
  return sending_ && !hold_;
}

Status PhoneMedia::send_digits(std::string_view digits, int duration_ms) {
  if (duration_ms < kPtimeMs || duration_ms > 5000) {
    return invalid(name_ + ": digit duration must be 20..5000 ms");
  }
  for (char digit : digits) {
    if (!rtp::digit_to_event(digit)) {
      return invalid(name_ + ": '" + std::string(1, digit) + "' is not a DTMF digit");
    }
  }
  std::lock_guard lock(mutex_);
  if (!format_ || !format_->telephone_event_pt) {
    return Status(StatusCode::kFailedPrecondition,
                  name_ + ": no telephone-event payload type was agreed");
  }
  digit_duration_ms_ = duration_ms;
  digits_out_.insert(digits_out_.end(), digits.begin(), digits.end());
  return Status::ok();
}

bool PhoneMedia::digits_pending() const {
  std::lock_guard lock(mutex_);
  return !digits_out_.empty() || digit_.active || digit_gap_ticks_ > 0;
}

std::vector<int16_t> PhoneMedia::heard(double from_s, double to_s) const {
  std::lock_guard lock(mutex_);
  const double rate_hz = heard_.sample_rate_hz();
  if (!(to_s > from_s)) return {};
  const auto first = static_cast<int64_t>(std::llround(from_s * rate_hz));
  const auto last = static_cast<int64_t>(std::llround(to_s * rate_hz));
  return heard_.read(first, static_cast<std::size_t>(last - first));
}

int PhoneMedia::heard_rate_hz() const {
  std::lock_guard lock(mutex_);
  return heard_.sample_rate_hz();
}

bool PhoneMedia::received_any(double from_s, double to_s) const {
  std::lock_guard lock(mutex_);
  return heard_.any_arrival(std::llround(from_s * 1e6), std::llround(to_s * 1e6));
}

std::vector<ReceivedDigit> PhoneMedia::digits_received() const {
  std::lock_guard lock(mutex_);
  return digits_in_;
}

PhoneMediaStats PhoneMedia::stats() const {
  std::lock_guard lock(mutex_);
  PhoneMediaStats stats = stats_;
  stats.lost = lost_before_ + receiver_stats_.cumulative_lost();
  if (format_ && receiver_stats_.has_packets()) {
    stats.jitter_ms = 1000.0 * receiver_stats_.jitter() / format_->clock_rate_hz;
  }
  return stats;
}

}  // namespace tutti::runner
