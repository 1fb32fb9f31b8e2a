// The codecs tutti negotiates, the RFC 3551 static payload types, and the telephone-event rule.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "tutti/sdp/sdp.h"

namespace tutti::sdp::detail {

inline constexpr std::string_view kTelephoneEvent = "telephone-event";
inline constexpr std::string_view kTelephoneEventFmtp = "0-16";
inline constexpr int kOfferTelephoneEventPt = 101;      // telephone-event/8000 in our offers
inline constexpr int kOfferOpusTelephoneEventPt = 110;  // telephone-event/48000 (with opus)

// One codec tutti can mix, as it must appear in SDP.
struct CodecSpec {
  std::string_view name;  // tutti's spelling, also used in LocalMedia::codecs
  int clock_rate = 8000;
  int channels = 1;
  int offer_payload_type = 0;
  std::string_view fmtp;  // what tutti writes for it ("" for none)
};

// The spec for a LocalMedia::codecs name (case-blind), nullptr for a name tutti cannot mix.
const CodecSpec* find_codec(std::string_view name);

bool matches(const Format& format, const CodecSpec& spec);

// The format a static payload type stands for when no rtpmap names it (RFC 3551 table 4).
std::optional<Format> static_format(int payload_type);

// The format tutti writes for `spec` under `payload_type`.
Format format_of(const CodecSpec& spec, int payload_type);

Format telephone_event_format(int payload_type, int clock_rate);

// The telephone-event entry to use with a codec at `codec_clock_rate`: the one at the same clock
// (RFC 4733 events share the audio stream's timestamps), else the usual 8000 Hz one.
const Format* find_telephone_event(const std::vector<Format>& formats, int codec_clock_rate);

}  // namespace tutti::sdp::detail
