// PhoneMedia's receive side, run by the pool's media thread per packet: statistics, decoding,
// placing the audio on the scenario timeline, and digits.
//
// Placement: the first packet of a source anchors its RTP timestamp to its arrival time; later
// packets land at anchor + timestamp difference, so jitter does not move audio around. When a
// packet's place and its arrival disagree by more than kReanchorUs (a sender that jumped or
// paused its clock), or by more than two ptimes at a marked talkspurt start, it anchors again.
#include <cstdlib>

#include "tutti/rtp/rtp_packet.h"
#include "tutti/runner/phone_media.h"

namespace tutti::runner {
namespace {

constexpr int64_t kReanchorUs = 200'000;
constexpr int64_t kLateUs = 60'000;

}  // namespace

void PhoneMedia::on_rtp(std::span<const uint8_t> bytes, int64_t arrival_us,
                        const sockaddr_in& from) {
  std::lock_guard lock(mutex_);
  auto packet = rtp::parse_rtp(bytes);
  if (!packet) {
    ++stats_.malformed;
    return;
  }
  if (!remote_) remote_ = from;  // symmetric RTP: answer where the far end sends from
  ++stats_.packets_in;
  stats_.bytes_in += bytes.size();
  if (!format_) {
    ++stats_.unknown_payload_type;
    return;
  }
  const int payload_type = packet->header.payload_type;
  if (payload_type == format_->payload_type) {
    receive_audio_locked(*packet, arrival_us);
  } else if (format_->telephone_event_pt && payload_type == *format_->telephone_event_pt) {
    receive_event_locked(*packet, arrival_us);
  } else {
    ++stats_.unknown_payload_type;
  }
}

int64_t PhoneMedia::track_source_locked(const rtp::RtpPacket& packet, uint32_t media_timestamp,
                                        int64_t arrival_us) {
  const int64_t clock_hz = format_->clock_rate_hz;
  if (!have_source_ || packet.header.ssrc != source_ssrc_) {
    if (have_source_) lost_before_ += receiver_stats_.cumulative_lost();
    receiver_stats_ = rtp::RtpReceiverStats();
    have_source_ = true;
    anchored_ = false;
    source_ssrc_ = packet.header.ssrc;
    last_timestamp_ = media_timestamp;
    extended_timestamp_ = media_timestamp;
    min_transit_us_ = INT64_MAX;
  }
  const auto step = static_cast<int32_t>(media_timestamp - last_timestamp_);
  const int64_t extended = extended_timestamp_ + step;
  if (step > 0) {
    last_timestamp_ = media_timestamp;
    extended_timestamp_ = extended;
  }
  const auto arrival_units = static_cast<uint32_t>(arrival_us * clock_hz / 1'000'000);
  receiver_stats_.on_packet(packet.header.sequence, media_timestamp, arrival_units);
  // Late: later than the quickest packet so far, compared on the sender's clock.
  const int64_t transit_us = arrival_us - extended * 1'000'000 / clock_hz;
  if (transit_us < min_transit_us_) min_transit_us_ = transit_us;
  if (transit_us - min_transit_us_ > kLateUs) ++stats_.late_in;
  return extended;
}

void PhoneMedia::receive_audio_locked(const rtp::RtpPacket& packet, int64_t arrival_us) {
  const int64_t timestamp = track_source_locked(packet, packet.header.timestamp, arrival_us);
  heard_.note_arrival(arrival_us);
  const int samples = decoder_->decode(packet.payload, decoded_);
  if (samples < 0) {
    ++stats_.malformed;
    return;
  }
  if (format_->keep_audio && samples > 0) {
    place_audio_locked(timestamp, packet.header.marker, arrival_us, samples);
  }
}

void PhoneMedia::place_audio_locked(int64_t timestamp, bool marker, int64_t arrival_us,
                                    int samples) {
  const int64_t rate_hz = heard_.sample_rate_hz();
  const int64_t clock_hz = format_->clock_rate_hz;
  int64_t first = anchor_sample_ + (timestamp - anchor_timestamp_) * rate_hz / clock_hz;
  const int64_t drift_us = std::llabs(arrival_us - first * 1'000'000 / rate_hz);
  if (!anchored_ || drift_us > kReanchorUs || (marker && drift_us > 2000 * kPtimeMs)) {
    anchored_ = true;
    anchor_timestamp_ = timestamp;
    anchor_sample_ = arrival_us * rate_hz / 1'000'000;
    first = anchor_sample_;
  }
  heard_.write(first, std::span<const int16_t>(decoded_.data(), static_cast<std::size_t>(samples)));
}

void PhoneMedia::receive_event_locked(const rtp::RtpPacket& packet, int64_t arrival_us) {
  const std::optional<rtp::TelephoneEvent> event = rtp::parse_telephone_event(packet.payload);
  if (!event) {
    ++stats_.malformed;
    return;
  }
  // The event's timestamp stays at its start; its media time is start + duration so far.
  track_source_locked(packet, packet.header.timestamp + event->duration, arrival_us);
  const double arrival_s = static_cast<double>(arrival_us) / 1e6;
  const bool new_event = !have_event_ || packet.header.timestamp != event_timestamp_;
  if (new_event) {
    previous_event_start_s_ = event_start_s_;
    event_start_s_ = arrival_s;
    event_timestamp_ = packet.header.timestamp;
    have_event_ = true;
  }
  const rtp::DetectedDigits detected = dtmf_.feed(packet.header.timestamp, *event);
  for (std::size_t i = 0; i < detected.count; ++i) {
    // A digit that is not this packet's own ended with its end packets lost: it began earlier.
    const bool previous = new_event && i == 0 && (detected.count == 2 || !event->end);
    ReceivedDigit digit;
    digit.digit = detected.digits[i];
    digit.start_s = previous ? previous_event_start_s_ : event_start_s_;
    digit.end_s = arrival_s;
    digits_in_.push_back(digit);
    ++stats_.digits_in;
  }
}

}  // namespace tutti::runner
