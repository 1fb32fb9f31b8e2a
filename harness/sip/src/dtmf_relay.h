// The small bodies of in-dialog requests: a SIP INFO carrying a digit, application/dtmf-relay
// ("Signal=5\r\nDuration=160") and the bare application/dtmf ("5"), and the message/sipfrag of a
// REFER's NOTIFY ("SIP/2.0 200 OK"). Pure text, no libre.
#pragma once

#include <optional>
#include <string>
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

// "Signal=5\r\nDuration=160\r\n"; nullopt for a digit outside 0-9 * # A-D or a negative duration.
std::optional<std::string> format_dtmf_relay(char digit, int duration_ms);

// The status of a sipfrag's start line: "SIP/2.0 180 Ringing\r\n..." gives 180.
std::optional<int> parse_sipfrag_status(std::string_view body);

}  // namespace tutti::sip::internal
