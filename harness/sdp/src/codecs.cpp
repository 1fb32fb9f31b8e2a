#include "codecs.h"

#include <array>

#include "text.h"

namespace tutti::sdp {
namespace detail {
namespace {

// useinbandfec and usedtx state what tutti prefers to receive (RFC 7587 §6.1): FEC recovers a
// lost packet, and the engine skips decoding DTX frames.
constexpr std::array<CodecSpec, 4> kCodecs{{
    {"opus", 48000, 2, 111, "useinbandfec=1;usedtx=1"},
    {"G722", 8000, 1, 9, ""},  // RFC 3551: 8000 on the wire though G.722 samples at 16 kHz
    {"PCMU", 8000, 1, 0, ""},
    {"PCMA", 8000, 1, 8, ""},
}};

struct StaticType {
  int payload_type;
  std::string_view name;
  int clock_rate;
  int channels;
};

constexpr std::array<StaticType, 17> kStaticTypes{{
    {0, "PCMU", 8000, 1},
    {3, "GSM", 8000, 1},
    {4, "G723", 8000, 1},
    {5, "DVI4", 8000, 1},
    {6, "DVI4", 16000, 1},
    {7, "LPC", 8000, 1},
    {8, "PCMA", 8000, 1},
    {9, "G722", 8000, 1},
    {10, "L16", 44100, 2},
    {11, "L16", 44100, 1},
    {12, "QCELP", 8000, 1},
    {13, "CN", 8000, 1},
    {14, "MPA", 90000, 1},
    {15, "G728", 8000, 1},
    {16, "DVI4", 11025, 1},
    {17, "DVI4", 22050, 1},
    {18, "G729", 8000, 1},
}};

}  // namespace

const CodecSpec* find_codec(std::string_view name) {
  for (const CodecSpec& spec : kCodecs) {
    if (iequals(spec.name, name)) return &spec;
  }
  return nullptr;
}

bool matches(const Format& format, const CodecSpec& spec) {
  return iequals(format.name, spec.name) && format.clock_rate == spec.clock_rate &&
         format.channels == spec.channels;
}

std::optional<Format> static_format(int payload_type) {
  for (const StaticType& type : kStaticTypes) {
    if (type.payload_type != payload_type) continue;
    Format format;
    format.payload_type = payload_type;
    format.name = type.name;
    format.clock_rate = type.clock_rate;
    format.channels = type.channels;
    return format;
  }
  return std::nullopt;
}

Format format_of(const CodecSpec& spec, int payload_type) {
  Format format;
  format.payload_type = payload_type;
  format.name = spec.name;
  format.clock_rate = spec.clock_rate;
  format.channels = spec.channels;
  format.fmtp = spec.fmtp;
  return format;
}

Format telephone_event_format(int payload_type, int clock_rate) {
  Format format;
  format.payload_type = payload_type;
  format.name = kTelephoneEvent;
  format.clock_rate = clock_rate;
  format.fmtp = kTelephoneEventFmtp;
  return format;
}

const Format* find_telephone_event(const std::vector<Format>& formats, int codec_clock_rate) {
  const Format* fallback = nullptr;
  for (const Format& format : formats) {
    if (!iequals(format.name, kTelephoneEvent)) continue;
    if (format.clock_rate == codec_clock_rate) return &format;
    if (format.clock_rate == 8000 && fallback == nullptr) fallback = &format;
  }
  return fallback;
}

}  // namespace detail

const char* direction_name(Direction direction) {
  switch (direction) {
    case Direction::kSendRecv:
      return "sendrecv";
    case Direction::kSendOnly:
      return "sendonly";
    case Direction::kRecvOnly:
      return "recvonly";
    case Direction::kInactive:
      return "inactive";
  }
  return "sendrecv";
}

Direction reverse(Direction direction) {
  if (direction == Direction::kSendOnly) return Direction::kRecvOnly;
  if (direction == Direction::kRecvOnly) return Direction::kSendOnly;
  return direction;
}

}  // namespace tutti::sdp
