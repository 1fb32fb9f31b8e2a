#include "writer.h"

#include <initializer_list>
#include <string_view>

namespace tutti::sdp::detail {
namespace {

constexpr std::string_view kAudioLevelUri = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";

// Appends the parts and CRLF (appends rather than operator+, which GCC 12 at -O3 misreads
// as an overlapping memcpy under -Wrestrict).
void add_line(std::string& out, std::initializer_list<std::string_view> parts) {
  for (std::string_view part : parts) out += part;
  out += "\r\n";
}

std::string_view address_type(const std::string& address) {
  return address.find(':') != std::string::npos ? "IN IP6 " : "IN IP4 ";
}

void write_session(std::string& out, const LocalMedia& local) {
  add_line(out, {"v=0"});
  add_line(out, {"o=tutti ", std::to_string(local.session_id), " ",
                 std::to_string(local.session_version), " ", address_type(local.address),
                 local.address});
  add_line(out, {"s=tutti"});
  add_line(out, {"c=", address_type(local.address), local.address});
  add_line(out, {"t=0 0"});
}

void write_format(std::string& out, const Format& format) {
  const std::string pt = std::to_string(format.payload_type);
  const bool channels = format.channels > 1;
  add_line(out, {"a=rtpmap:", pt, " ", format.name, "/", std::to_string(format.clock_rate),
                 channels ? "/" : "", channels ? std::to_string(format.channels) : ""});
  if (!format.fmtp.empty()) add_line(out, {"a=fmtp:", pt, " ", format.fmtp});
}

void write_audio(std::string& out, uint16_t port, const AudioSection& audio) {
  out += "m=audio ";
  out += std::to_string(port);
  out += ' ';
  out += audio.proto;
  for (const Format& format : audio.formats) {
    out += ' ';
    out += std::to_string(format.payload_type);
  }
  add_line(out, {});
  for (const Format& format : audio.formats) write_format(out, format);
  if (audio.ptime_ms > 0) add_line(out, {"a=ptime:", std::to_string(audio.ptime_ms)});
  if (audio.audio_level_ext_id) {
    const bool both = audio.audio_level_direction == Direction::kSendRecv;
    add_line(out, {"a=extmap:", std::to_string(*audio.audio_level_ext_id), both ? "" : "/",
                   both ? "" : direction_name(audio.audio_level_direction), " ", kAudioLevelUri});
  }
  add_line(out, {"a=", direction_name(audio.direction)});
}

}  // namespace

std::string write_description(const LocalMedia& local, const AudioSection& audio,
                              const std::vector<OtherMedia>& refused) {
  std::string out;
  write_session(out, local);
  int written = 0;  // m= lines so far: the audio one goes where no refused line claims
  bool audio_written = false;
  for (const OtherMedia& other : refused) {
    if (!audio_written && other.position > written) {
      write_audio(out, local.port, audio);
      audio_written = true;
      ++written;
    }
    add_line(out, {"m=", other.media, " 0 ", other.proto, " ", other.format});
    ++written;
  }
  if (!audio_written) write_audio(out, local.port, audio);
  return out;
}

}  // namespace tutti::sdp::detail
