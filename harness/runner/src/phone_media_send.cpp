// PhoneMedia's send side, run by the pool's media thread once per 20 ms tick: one audio frame,
// or the RFC 4733 packets of the digit being sent (audio waits until the digits are out).
#include <sys/socket.h>

#include <algorithm>
#include <array>

#include "tutti/rtp/rtp_packet.h"
#include "tutti/runner/phone_media.h"

namespace tutti::runner {
namespace {

constexpr int kDigitGapTicks = 2;     // 40 ms between digits
constexpr int kEndPacketCopies = 3;   // RFC 4733 2.5.1.4: the end packet goes out three times
constexpr uint8_t kDigitVolume = 10;  // -10 dBm0

}  // namespace

void PhoneMedia::on_tick(bool late) {
  std::lock_guard lock(mutex_);
  if (!format_) return;
  const bool may_send = remote_.has_value() && !hold_ && rtp_fd_ >= 0;
  const bool digits = !digits_out_.empty() || digit_.active || digit_gap_ticks_ > 0;
  if (may_send && digits) {
    send_digit_locked();
  } else if (may_send && sending_) {
    send_audio_locked();
    if (late) ++stats_.late_sends;
  } else {
    talkspurt_start_ = true;
  }
  timestamp_ += static_cast<uint32_t>(format_->clock_rate_hz * kPtimeMs / 1000);
}

void PhoneMedia::send_audio_locked() {
  if (source_ && !muted_) {
    source_->fill(frame_);
  } else {
    std::fill(frame_.begin(), frame_.end(), int16_t{0});
  }
  std::array<uint8_t, 1500> payload;
  const int bytes = encoder_->encode(frame_, payload);
  if (bytes <= 0) {
    ++stats_.send_errors;
    return;
  }
  send_packet_locked(static_cast<uint8_t>(format_->payload_type), talkspurt_start_, timestamp_,
                     std::span<const uint8_t>(payload.data(), static_cast<std::size_t>(bytes)));
  talkspurt_start_ = false;
}

// One tick of the digit sender: a pause between digits, or the next packet of the current
// event (marker on its first; duration growing by one ptime; the last one with E set, thrice).
void PhoneMedia::send_digit_locked() {
  if (digit_gap_ticks_ > 0) {
    --digit_gap_ticks_;
    talkspurt_start_ = true;
    return;
  }
  if (!digit_.active) {
    digit_.event = *rtp::digit_to_event(digits_out_.front());
    digits_out_.pop_front();
    digit_.active = true;
    digit_.first = true;
    digit_.timestamp = timestamp_;
    digit_.elapsed = 0;
  }
  const auto clock_hz = static_cast<uint32_t>(format_->clock_rate_hz);
  digit_.elapsed += clock_hz * kPtimeMs / 1000;
  const uint32_t duration = clock_hz * static_cast<uint32_t>(digit_duration_ms_) / 1000;
  rtp::TelephoneEvent event;
  event.event = digit_.event;
  event.end = digit_.elapsed >= duration;
  event.volume = kDigitVolume;
  event.duration = static_cast<uint16_t>(std::min<uint32_t>(digit_.elapsed, 0xFFFF));
  std::array<uint8_t, rtp::kTelephoneEventBytes> payload;
  static_cast<void>(rtp::write_telephone_event(event, payload));
  const auto payload_type = static_cast<uint8_t>(*format_->telephone_event_pt);
  const int copies = event.end ? kEndPacketCopies : 1;
  for (int i = 0; i < copies; ++i) {
    send_packet_locked(payload_type, digit_.first && i == 0, digit_.timestamp, payload);
  }
  digit_.first = false;
  if (event.end) {
    digit_.active = false;
    digit_gap_ticks_ = kDigitGapTicks;
    ++stats_.digits_out;
  }
}

void PhoneMedia::send_packet_locked(uint8_t payload_type, bool marker, uint32_t timestamp,
                                    std::span<const uint8_t> payload) {
  rtp::RtpHeader header;
  header.marker = marker;
  header.payload_type = payload_type;
  header.sequence = sequence_++;
  header.timestamp = timestamp;
  header.ssrc = ssrc_;
  std::array<uint8_t, 1600> packet;
  const std::size_t size = rtp::write_rtp(header, payload, std::nullopt, packet);
  const sockaddr_in& to = *remote_;
  const ssize_t sent = size == 0 ? -1
                                 : sendto(rtp_fd_, packet.data(), size, MSG_DONTWAIT,
                                          reinterpret_cast<const sockaddr*>(&to), sizeof(to));
  if (sent != static_cast<ssize_t>(size)) {
    ++stats_.send_errors;
    return;
  }
  ++stats_.packets_out;
  stats_.bytes_out += size;
}

}  // namespace tutti::runner
