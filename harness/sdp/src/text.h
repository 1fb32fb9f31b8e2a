// Small string helpers for reading SDP lines: tokens, bounded numbers, numeric addresses.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tutti::sdp::detail {

// ASCII case-blind comparison (codec names, "audio", "IN").
bool iequals(std::string_view a, std::string_view b);

// Without leading and trailing spaces and tabs.
std::string_view trim(std::string_view text);

// The next blank-separated token of `rest` ("" when none); `rest` keeps what follows it.
std::string_view take_token(std::string_view& rest);

// The text before the first `separator` (all of it when there is none); `rest` gets the
// text after the separator, or "" when there was none.
std::string_view split_at(std::string_view text, char separator, std::string_view& rest);

// A decimal number of digits only, at most `max`; nullopt for anything else.
std::optional<uint64_t> to_uint(std::string_view text, uint64_t max);

// True for a numeric address of the family: "192.0.2.1" (ip6 false) or "2001:db8::1" (true).
bool is_numeric_address(std::string_view address, bool ip6);

}  // namespace tutti::sdp::detail
