#include "tutti/rtp/telephone_event.h"

#include "bytes.h"

namespace tutti::rtp {
namespace {

constexpr std::array<char, 16> kDigits{'0', '1', '2', '3', '4', '5', '6', '7',
                                       '8', '9', '*', '#', 'A', 'B', 'C', 'D'};
constexpr uint8_t kMaxVolume = 63;

void add(DetectedDigits& out, std::optional<char> digit) {
  if (digit && out.count < out.digits.size()) out.digits[out.count++] = *digit;
}

}  // namespace

std::optional<char> event_to_digit(uint8_t event) {
  if (event >= kDigits.size()) return std::nullopt;
  return kDigits[event];
}

std::optional<uint8_t> digit_to_event(char digit) {
  if (digit >= 'a' && digit <= 'd') digit = static_cast<char>(digit - 'a' + 'A');
  for (std::size_t i = 0; i < kDigits.size(); ++i) {
    if (kDigits[i] == digit) return static_cast<uint8_t>(i);
  }
  return std::nullopt;
}

std::optional<TelephoneEvent> parse_telephone_event(std::span<const uint8_t> payload) {
  if (payload.size() < kTelephoneEventBytes) return std::nullopt;
  TelephoneEvent event;
  event.event = payload[0];
  event.end = (payload[1] & 0x80) != 0;
  event.volume = payload[1] & 0x3F;
  event.duration = detail::load_u16(payload, 2);
  return event;
}

std::size_t write_telephone_event(const TelephoneEvent& event, std::span<uint8_t> out) {
  if (out.size() < kTelephoneEventBytes || event.volume > kMaxVolume) return 0;
  out[0] = event.event;
  out[1] = static_cast<uint8_t>((event.end ? 0x80 : 0) | event.volume);  // R bit stays 0
  detail::store_u16(out, 2, event.duration);
  return kTelephoneEventBytes;
}

DetectedDigits DtmfDetector::feed(uint32_t rtp_timestamp, const TelephoneEvent& event) {
  DetectedDigits out;
  if (active_) {
    // Serial-number comparison so the detector survives timestamp wrap-around.
    const auto age = static_cast<int32_t>(rtp_timestamp - current_timestamp_);
    if (age < 0) return out;  // a late packet of an event already superseded
    if (age == 0) {
      if (event.end && !ended_) {
        ended_ = true;
        add(out, event_to_digit(current_event_));
      }
      return out;
    }
    add(out, flush());  // a new event while the old one never ended: its end was lost
  }
  active_ = true;
  ended_ = event.end;
  current_timestamp_ = rtp_timestamp;
  current_event_ = event.event;
  if (event.end) add(out, event_to_digit(event.event));
  return out;
}

DetectedDigits DtmfDetector::feed(uint32_t rtp_timestamp, std::span<const uint8_t> payload) {
  const auto event = parse_telephone_event(payload);
  if (!event) return {};
  return feed(rtp_timestamp, *event);
}

std::optional<char> DtmfDetector::flush() {
  if (!active_ || ended_) return std::nullopt;
  ended_ = true;
  return event_to_digit(current_event_);
}

}  // namespace tutti::rtp
