// RFC 4733 telephone events: payload bytes and digit detection from a packet stream.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tutti/rtp/telephone_event.h"
#include "wire_bytes.h"

namespace tutti::rtp {
namespace {

std::string digits_of(const DetectedDigits& d) { return std::string(d.digits.data(), d.count); }

// Feeds the packets a sender emits for one key press: growing durations, then 3 end packets.
std::string press(DtmfDetector& detector, uint32_t timestamp, uint8_t event, bool with_end) {
  std::string out;
  for (uint16_t duration = 160; duration <= 640; duration += 160) {
    out += digits_of(detector.feed(timestamp, TelephoneEvent{event, false, 10, duration}));
  }
  for (int i = 0; with_end && i < 3; ++i) {
    out += digits_of(detector.feed(timestamp, TelephoneEvent{event, true, 10, 800}));
  }
  return out;
}

TEST(TelephoneEvent, KnownPayloadBytes) {
  const Bytes b{0x05, 0x8A, 0x03, 0x20};  // event 5, E, volume 10, duration 800
  auto e = parse_telephone_event(b);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->event, 5);
  EXPECT_TRUE(e->end);
  EXPECT_EQ(e->volume, 10);
  EXPECT_EQ(e->duration, 800);
  Bytes out(4);
  EXPECT_EQ(write_telephone_event(*e, out), 4u);
  EXPECT_EQ(out, b);
  EXPECT_FALSE(parse_telephone_event(Bytes{0x05, 0x8A, 0x03}).has_value());
  EXPECT_EQ(write_telephone_event(TelephoneEvent{1, false, 64, 0}, out), 0u);
}

TEST(TelephoneEvent, EventCodesMapToKeypad) {
  const std::string keypad = "0123456789*#ABCD";
  for (uint8_t e = 0; e < 16; ++e) {
    EXPECT_EQ(event_to_digit(e), keypad[e]);
    EXPECT_EQ(digit_to_event(keypad[e]), e);
  }
  EXPECT_FALSE(event_to_digit(16).has_value());  // flash is not a digit
  EXPECT_EQ(digit_to_event('b'), 13);
  EXPECT_FALSE(digit_to_event('x').has_value());
}

TEST(DtmfDetector, RedundantEndPacketsGiveOneDigit) {
  DtmfDetector detector;
  EXPECT_EQ(press(detector, 1000, 1, true), "1");
  EXPECT_EQ(press(detector, 2000, 11, true), "#");
  EXPECT_EQ(press(detector, 3000, 1, true), "1");  // same key again is a new event
  EXPECT_FALSE(detector.flush().has_value());
}

TEST(DtmfDetector, LostEndIsReportedWhenTheNextEventStarts) {
  DtmfDetector detector;
  EXPECT_EQ(press(detector, 1000, 2, false), "");
  EXPECT_EQ(digits_of(detector.feed(2000, TelephoneEvent{3, false, 10, 160})), "2");
  EXPECT_EQ(press(detector, 2000, 3, true), "3");
}

TEST(DtmfDetector, LostEndFollowedBySinglePacketEventGivesBothDigits) {
  DtmfDetector detector;
  EXPECT_EQ(press(detector, 1000, 4, false), "");
  EXPECT_EQ(digits_of(detector.feed(2000, TelephoneEvent{5, true, 10, 160})), "45");
}

TEST(DtmfDetector, LatePacketsOfAnOldEventAreIgnored) {
  DtmfDetector detector;
  EXPECT_EQ(press(detector, 1000, 7, true), "7");
  EXPECT_EQ(press(detector, 2000, 8, true), "8");
  EXPECT_EQ(press(detector, 1000, 7, true), "");
}

TEST(DtmfDetector, TimestampWrapIsANewEvent) {
  DtmfDetector detector;
  EXPECT_EQ(press(detector, 0xFFFFFF00u, 9, true), "9");
  EXPECT_EQ(press(detector, 0x00000100u, 0, true), "0");
}

TEST(DtmfDetector, FlushReportsAnEventThatNeverEnded) {
  DtmfDetector detector;
  EXPECT_EQ(press(detector, 1000, 12, false), "");
  EXPECT_EQ(detector.flush(), 'A');
  EXPECT_FALSE(detector.flush().has_value());
}

TEST(DtmfDetector, RawPayloadsAndShortPayloads) {
  DtmfDetector detector;
  EXPECT_TRUE(detector.feed(1000, Bytes{0x05, 0x8A}).empty());
  EXPECT_EQ(digits_of(detector.feed(1000, Bytes{0x05, 0x8A, 0x03, 0x20})), "5");
  EXPECT_TRUE(detector.feed(1000, Bytes{0x05, 0x8A, 0x03, 0x20}).empty());
}

}  // namespace
}  // namespace tutti::rtp
