// The SIP INFO digit bodies and the NOTIFY sipfrag, without any SIP around them.
#include "dtmf_relay.h"

#include <gtest/gtest.h>

namespace tutti::sip::internal {
namespace {

TEST(DtmfRelay, ReadsSignalAndDuration) {
  const auto digit = parse_dtmf_relay("Signal=5\r\nDuration=160\r\n");
  ASSERT_TRUE(digit);
  EXPECT_EQ(digit->digit, '5');
  EXPECT_EQ(digit->duration_ms, 160);
}

TEST(DtmfRelay, AcceptsStarHashLettersAndBareNewlines) {
  EXPECT_EQ(parse_dtmf_relay("Signal=*\nDuration=100")->digit, '*');
  EXPECT_EQ(parse_dtmf_relay("Signal=#\nDuration=100")->digit, '#');
  EXPECT_EQ(parse_dtmf_relay("signal = a\n")->digit, 'A');
}

TEST(DtmfRelay, MapsNumericTenAndElevenToStarAndHash) {
  EXPECT_EQ(parse_dtmf_relay("Signal=10\r\nDuration=250")->digit, '*');
  EXPECT_EQ(parse_dtmf_relay("Signal=11\r\nDuration=250")->digit, '#');
}

TEST(DtmfRelay, DurationIsOptional) {
  const auto digit = parse_dtmf_relay("Signal=9");
  ASSERT_TRUE(digit);
  EXPECT_EQ(digit->duration_ms, 0);
}

TEST(DtmfRelay, RefusesMissingOrBadValues) {
  EXPECT_FALSE(parse_dtmf_relay(""));
  EXPECT_FALSE(parse_dtmf_relay("Duration=160"));
  EXPECT_FALSE(parse_dtmf_relay("Signal=12\r\n"));
  EXPECT_FALSE(parse_dtmf_relay("Signal=5\r\nDuration=-3"));
  EXPECT_FALSE(parse_dtmf_relay("Signal=5\r\nDuration=lots"));
}

TEST(Dtmf, ReadsABareDigit) {
  EXPECT_EQ(parse_dtmf("7\r\n")->digit, '7');
  EXPECT_FALSE(parse_dtmf("77"));
}

TEST(DtmfRelay, FormatsWhatItParses) {
  EXPECT_EQ(format_dtmf_relay('5', 160), "Signal=5\r\nDuration=160\r\n");
  EXPECT_EQ(parse_dtmf_relay(*format_dtmf_relay('#', 80))->digit, '#');
  EXPECT_FALSE(format_dtmf_relay('x', 160));
  EXPECT_FALSE(format_dtmf_relay('a', 160));  // letters go upper case
  EXPECT_FALSE(format_dtmf_relay('5', -1));
}

TEST(Sipfrag, ReadsTheStatusOfTheStartLine) {
  EXPECT_EQ(parse_sipfrag_status("SIP/2.0 100 Trying\r\n"), 100);
  EXPECT_EQ(parse_sipfrag_status("SIP/2.0 486 Busy Here\r\nContent-Length: 0\r\n"), 486);
  EXPECT_EQ(parse_sipfrag_status("SIP/2.0 200"), 200);
  EXPECT_FALSE(parse_sipfrag_status(""));
  EXPECT_FALSE(parse_sipfrag_status("SIP/2.0 20 OK"));
  EXPECT_FALSE(parse_sipfrag_status("SIP/2.0 2000 OK"));
  EXPECT_FALSE(parse_sipfrag_status("INVITE sip:bob@example.com SIP/2.0"));
}

}  // namespace
}  // namespace tutti::sip::internal
