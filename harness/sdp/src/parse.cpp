// parse(): one pass over the lines. Session-level c=, direction and extmap are defaults that the
// audio m= section may override; every section but the first audio one is only counted (its
// m= line kept for the answer), and its attributes are not read.
#include <string>

#include "codecs.h"
#include "text.h"
#include "tutti/sdp/sdp.h"

namespace tutti::sdp {
namespace {

using detail::iequals;
using detail::split_at;
using detail::take_token;
using detail::to_uint;

constexpr std::string_view kAudioLevelUri = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
constexpr uint64_t kMaxPayloadType = 127;
constexpr uint64_t kMaxExtmapId = 255;  // one- and two-byte header ids (RFC 8285)
constexpr uint64_t kMaxPtimeMs = 1000;

std::optional<Direction> direction_from(std::string_view name) {
  for (Direction d :
       {Direction::kSendRecv, Direction::kSendOnly, Direction::kRecvOnly, Direction::kInactive}) {
    if (name == direction_name(d)) return d;
  }
  return std::nullopt;
}

// The extmap of one level (session or audio): id, and whether its writer sends it.
struct Extmap {
  std::optional<int> id;
  Direction direction = Direction::kSendRecv;
};

class Parser {
 public:
  Result<SessionDescription> run(std::string_view text);

 private:
  enum class Section { kSession, kAudio, kOther };

  Status line(std::string_view text);
  Status version(std::string_view value);
  Status origin(std::string_view value);
  Status connection(std::string_view value);
  Status media(std::string_view value);
  Status audio_formats(std::string_view formats);
  Status attribute(std::string_view value);
  Status rtpmap(std::string_view value);
  Status fmtp(std::string_view value);
  Status ptime(std::string_view value);
  Status extmap(std::string_view value, Extmap& out);
  Status finish();
  Format* format(int payload_type);
  Status error(std::string_view what) const {
    return Status(StatusCode::kInvalidArgument,
                  "line " + std::to_string(line_) + ": " + std::string(what));
  }

  SessionDescription out_;
  AudioDescription audio_;
  Section section_ = Section::kSession;
  int line_ = 0;
  int audio_line_ = 0;
  int media_lines_ = 0;
  bool seen_version_ = false;
  bool has_audio_ = false;
  std::string session_address_;
  std::optional<Direction> session_direction_;
  std::optional<Direction> audio_direction_;
  Extmap session_extmap_;
  Extmap audio_extmap_;
};

Result<SessionDescription> Parser::run(std::string_view text) {
  if (text.size() > kMaxSdpBytes) {
    return Status(StatusCode::kInvalidArgument, "SDP of " + std::to_string(text.size()) +
                                                    " bytes is larger than the limit of " +
                                                    std::to_string(kMaxSdpBytes));
  }
  while (!text.empty()) {
    ++line_;
    std::string_view rest;
    std::string_view current = split_at(text, '\n', rest);
    text = rest;
    while (!current.empty() &&
           (current.back() == '\r' || current.back() == ' ' || current.back() == '\t')) {
      current.remove_suffix(1);
    }
    if (current.empty()) continue;
    if (Status s = line(current); !s) return s;
  }
  if (!seen_version_) return Status(StatusCode::kInvalidArgument, "empty SDP: no v= line");
  if (Status s = finish(); !s) return s;
  return out_;
}

Status Parser::line(std::string_view text) {
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t') || byte == 0x7F) return error("control character");
  }
  if (text.size() < 2 || text[1] != '=' || text[0] < 'a' || text[0] > 'z') {
    return error("expected <type>=<value>");
  }
  const char type = text[0];
  const std::string_view value = text.substr(2);
  if (!seen_version_) {
    if (type != 'v') return error("expected v=0 first");
    return version(value);
  }
  switch (type) {
    case 'v':
      return error("v= repeated");
    case 'o':
      return section_ == Section::kSession ? origin(value) : error("o= inside a media section");
    case 'c':
      return connection(value);
    case 'm':
      return media(value);
    case 'a':
      return attribute(value);
    default:
      return Status::ok();  // s=, t=, b=, i=, ...: nothing tutti needs
  }
}

Status Parser::version(std::string_view value) {
  if (value != "0") return error("v=: version is not 0");
  seen_version_ = true;
  return Status::ok();
}

Status Parser::origin(std::string_view value) {
  const std::string_view user = take_token(value);
  const auto id = to_uint(take_token(value), UINT64_MAX);
  const auto version = to_uint(take_token(value), UINT64_MAX);
  take_token(value);  // network and address type: the origin address is only an identifier
  take_token(value);
  const std::string_view address = take_token(value);
  if (address.empty() || !value.empty()) return error("o=: expected 6 fields");
  if (!id || !version) return error("o=: session id or version is not a number");
  out_.origin_user = user;
  out_.session_id = *id;
  out_.session_version = *version;
  out_.origin_address = address;
  return Status::ok();
}

Status Parser::connection(std::string_view value) {
  if (section_ == Section::kOther) return Status::ok();
  const std::string_view net_type = take_token(value);
  const std::string_view address_type = take_token(value);
  std::string_view ttl;
  const std::string_view address = split_at(take_token(value), '/', ttl);
  if (!value.empty()) return error("c=: expected 3 fields");
  if (net_type != "IN") return error("c=: network type is not IN");
  if (address_type != "IP4" && address_type != "IP6") return error("c=: expected IP4 or IP6");
  if (!detail::is_numeric_address(address, address_type == "IP6")) {
    return error("c=: not a numeric " + std::string(address_type) + " address");
  }
  if (section_ == Section::kSession) {
    session_address_ = address;
  } else {
    audio_.address = address;
  }
  return Status::ok();
}

Status Parser::media(std::string_view value) {
  if (++media_lines_ > static_cast<int>(kMaxMediaLines)) {
    return error("more than " + std::to_string(kMaxMediaLines) + " m= lines");
  }
  const std::string_view type = take_token(value);
  std::string_view count;
  const auto port = to_uint(split_at(take_token(value), '/', count), UINT16_MAX);
  const std::string_view proto = take_token(value);
  if (proto.empty() || value.empty()) return error("m=: expected <media> <port> <proto> <fmt>..");
  if (!port) return error("m=: port is not a number below 65536");
  if (!has_audio_ && iequals(type, "audio")) {
    has_audio_ = true;
    section_ = Section::kAudio;
    audio_line_ = line_;
    audio_.port = static_cast<uint16_t>(*port);
    audio_.proto = proto;
    return audio_formats(value);
  }
  section_ = Section::kOther;
  OtherMedia other;
  other.position = media_lines_ - 1;
  other.media = type;
  other.proto = proto;
  other.format = take_token(value);
  out_.other.push_back(std::move(other));
  ++out_.other_media;
  return Status::ok();
}

Status Parser::audio_formats(std::string_view formats) {
  while (!formats.empty()) {
    const auto payload_type = to_uint(take_token(formats), kMaxPayloadType);
    if (!payload_type) return error("m=audio: format is not a payload type 0..127");
    if (format(static_cast<int>(*payload_type)) != nullptr) continue;  // listed twice
    if (audio_.formats.size() == kMaxFormats) {
      return error("m=audio: more than " + std::to_string(kMaxFormats) + " formats");
    }
    Format added;
    added.payload_type = static_cast<int>(*payload_type);
    audio_.formats.push_back(std::move(added));
  }
  return Status::ok();
}

Status Parser::attribute(std::string_view value) {
  if (section_ == Section::kOther) return Status::ok();
  std::string_view argument;
  const std::string_view name = split_at(value, ':', argument);
  const bool audio = section_ == Section::kAudio;
  if (const auto direction = direction_from(name)) {
    (audio ? audio_direction_ : session_direction_) = *direction;
    return Status::ok();
  }
  if (name == "extmap") return extmap(argument, audio ? audio_extmap_ : session_extmap_);
  if (!audio) return Status::ok();
  if (name == "rtpmap") return rtpmap(argument);
  if (name == "fmtp") return fmtp(argument);
  if (name == "ptime") return ptime(argument);
  if (name == "rtcp-mux") audio_.rtcp_mux = true;
  return Status::ok();
}

Status Parser::rtpmap(std::string_view value) {
  const auto payload_type = to_uint(take_token(value), kMaxPayloadType);
  if (!payload_type) return error("a=rtpmap: payload type is not a number 0..127");
  std::string_view after_name;
  const std::string_view name = split_at(take_token(value), '/', after_name);
  std::string_view after_clock;
  const auto clock_rate = to_uint(split_at(after_name, '/', after_clock), 10'000'000);
  if (name.empty() || !clock_rate || *clock_rate == 0) {
    return error("a=rtpmap: expected <encoding>/<clock rate>[/<channels>]");
  }
  const auto channels =
      after_clock.empty() ? std::optional<uint64_t>(1) : to_uint(after_clock, 255);
  if (!channels || *channels == 0) return error("a=rtpmap: channels is not a number 1..255");
  Format* target = format(static_cast<int>(*payload_type));
  if (target == nullptr) return Status::ok();  // not on the m= line: it does not count
  target->name = name;
  target->clock_rate = static_cast<int>(*clock_rate);
  target->channels = static_cast<int>(*channels);
  return Status::ok();
}

Status Parser::fmtp(std::string_view value) {
  const auto payload_type = to_uint(take_token(value), kMaxPayloadType);
  if (!payload_type) return error("a=fmtp: payload type is not a number 0..127");
  if (Format* target = format(static_cast<int>(*payload_type))) target->fmtp = value;
  return Status::ok();
}

Status Parser::ptime(std::string_view value) {
  std::string_view fraction;  // "20.0" is seen in the wild; the fraction is dropped
  const auto ms = to_uint(split_at(detail::trim(value), '.', fraction), kMaxPtimeMs);
  if (!ms || *ms == 0) return error("a=ptime: not a number of milliseconds 1..1000");
  audio_.ptime_ms = static_cast<int>(*ms);
  return Status::ok();
}

Status Parser::extmap(std::string_view value, Extmap& out) {
  std::string_view direction_text;
  const auto id = to_uint(split_at(take_token(value), '/', direction_text), UINT16_MAX);
  if (!id || *id == 0) return error("a=extmap: id is not a number");
  auto direction = direction_text.empty() ? Direction::kSendRecv : direction_from(direction_text);
  if (!direction) return error("a=extmap: unknown direction");
  const std::string_view uri = take_token(value);  // extension attributes (vad=on) may follow
  if (uri.empty()) return error("a=extmap: no URI");
  if (uri == kAudioLevelUri && *id <= kMaxExtmapId) {
    out.id = static_cast<int>(*id);
    out.direction = *direction;
  }
  return Status::ok();
}

Status Parser::finish() {
  if (!has_audio_) return Status::ok();
  line_ = audio_line_;
  if (audio_.address.empty()) audio_.address = session_address_;
  if (audio_.address.empty()) return error("m=audio: no c= line for the stream or the session");
  audio_.direction = audio_direction_.value_or(session_direction_.value_or(Direction::kSendRecv));
  const Extmap& extmap = audio_extmap_.id ? audio_extmap_ : session_extmap_;
  audio_.audio_level_ext_id = extmap.id;
  audio_.audio_level_direction = extmap.direction;
  for (Format& f : audio_.formats) {
    if (!f.name.empty()) continue;
    if (auto known = detail::static_format(f.payload_type)) {
      known->fmtp = std::move(f.fmtp);  // "a=fmtp:18 annexb=no" comes without an rtpmap
      f = std::move(*known);
    }
  }
  out_.audio = std::move(audio_);
  return Status::ok();
}

Format* Parser::format(int payload_type) {
  for (Format& f : audio_.formats) {
    if (f.payload_type == payload_type) return &f;
  }
  return nullptr;
}

}  // namespace

Result<SessionDescription> parse(std::string_view text) { return Parser().run(text); }

}  // namespace tutti::sdp
