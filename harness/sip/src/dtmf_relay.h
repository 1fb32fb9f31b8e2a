// The body of a SIP INFO carrying a digit: application/dtmf-relay ("Signal=5\r\nDuration=160")
// and the bare application/dtmf ("5"). Pure parsing, no libre.
#pragma once

#include <optional>
#include <string_view>

namespace tutti::sip::internal {

struct InfoDigit {
  char digit = 0;       // '0'..'9', '*', '#', 'A'..'D'
  int duration_ms = 0;  // 0 when the body gives none
};

// "Signal=5\r\nDuration=160"; keys are case-insensitive, lines may end in \n alone, and the
// numeric signals 10 and 11 (sent by some phones) mean '*' and '#'.
std::optional<InfoDigit> parse_dtmf_relay(std::string_view body);

// "5" (application/dtmf), surrounding whitespace allowed.
std::optional<InfoDigit> parse_dtmf(std::string_view body);

}  // namespace tutti::sip::internal
