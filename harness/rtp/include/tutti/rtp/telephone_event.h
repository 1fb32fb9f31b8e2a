// RFC 4733 telephone-event payloads (DTMF over RTP) and a detector that turns a stream of them
// into digits, each exactly once.
//
// Payload layout (RFC 4733 2.3):  event(8) | E(1) R(1) volume(6) | duration(16)
// One event is one RTP timestamp: the sender repeats packets with growing duration while the key
// is held, then sends the end packet (E=1) three times. Packets with a new timestamp start a new
// event, which is also how a lost end packet shows up.
//
// Threads: the free functions are pure and real-time safe. A DtmfDetector belongs to the thread
// that receives the stream; feed() never allocates and is real-time safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace tutti::rtp {

inline constexpr std::size_t kTelephoneEventBytes = 4;

struct TelephoneEvent {
  uint8_t event = 0;       // 0-9, 10 = '*', 11 = '#', 12-15 = 'A'-'D'; others are not digits
  bool end = false;
  uint8_t volume = 10;     // 0..63, in -dBm0
  uint16_t duration = 0;   // in RTP timestamp units since the event's timestamp
  friend bool operator==(const TelephoneEvent&, const TelephoneEvent&) = default;
};

// Event code 0..15 to its keypad character, nullopt for other codes.
std::optional<char> event_to_digit(uint8_t event);
// Keypad character ('0'-'9', '*', '#', 'A'-'D', also 'a'-'d') to its event code.
std::optional<uint8_t> digit_to_event(char digit);

// nullopt if fewer than 4 bytes. Extra bytes (RFC 4733 redundancy blocks are not used here) are
// ignored.
std::optional<TelephoneEvent> parse_telephone_event(std::span<const uint8_t> payload);
// Writes 4 bytes; returns 4, or 0 if out is smaller or volume > 63.
std::size_t write_telephone_event(const TelephoneEvent& event, std::span<uint8_t> out);

// Up to two digits come out of one packet: the previous event whose end packets were all lost,
// and the new one if this packet is already its end.
struct DetectedDigits {
  std::array<char, 2> digits{};
  std::size_t count = 0;
  bool empty() const { return count == 0; }
};

class DtmfDetector {
 public:
  // Feeds one telephone-event packet: its RTP timestamp and parsed payload. Returns the digits
  // whose events ended with this packet. Retransmitted end packets and packets of older events
  // (reordered) return nothing.
  DetectedDigits feed(uint32_t rtp_timestamp, const TelephoneEvent& event);
  // Same, from the raw payload; a payload shorter than 4 bytes is ignored.
  DetectedDigits feed(uint32_t rtp_timestamp, std::span<const uint8_t> payload);
  // The stream stopped (call ended, long silence): returns the digit of an event that never got
  // its end packet, if any.
  std::optional<char> flush();

 private:
  bool active_ = false;  // an event is known (current_timestamp_ is valid)
  bool ended_ = false;   // its digit has already been reported
  uint32_t current_timestamp_ = 0;
  uint8_t current_event_ = 0;
};

}  // namespace tutti::rtp
