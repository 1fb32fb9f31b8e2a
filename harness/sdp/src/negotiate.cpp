// Offer/answer (RFC 3264) for the one audio stream: answer(), make_offer(), accept_answer().
#include <string>

#include "codecs.h"
#include "text.h"
#include "tutti/sdp/sdp.h"
#include "writer.h"

namespace tutti::sdp {
namespace {

using detail::CodecSpec;

Status invalid(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message));
}

// RFC 3264 §8.4: a connection address of 0.0.0.0 (the pre-RFC 3264 hold) means "do not send
// to me", whatever the direction attribute says; "::" is read the same way.
bool is_hold_address(const std::string& address) { return address == "0.0.0.0" || address == "::"; }

// What tutti does: it sends if it wants to and the far end receives, and receives if it wants
// to and the far end sends.
Direction agree(Direction wanted, const AudioDescription& remote) {
  const bool remote_receives = receives(remote.direction) && !is_hold_address(remote.address);
  const bool send = sends(wanted) && remote_receives;
  const bool receive = receives(wanted) && sends(remote.direction);
  if (send && receive) return Direction::kSendRecv;
  if (send) return Direction::kSendOnly;
  return receive ? Direction::kRecvOnly : Direction::kInactive;
}

// RTP/AVPF is answered as itself (tutti just sends no feedback); secure profiles are refused.
Status check_transport(const AudioDescription& audio) {
  if (audio.proto == "RTP/AVP" || audio.proto == "RTP/AVPF") return Status::ok();
  return invalid("audio over " + audio.proto + " is not supported (tutti speaks RTP/AVP)");
}

// The first codec of `preference` that `formats` has, with the payload type of `formats`.
const Format* pick_by_preference(const std::vector<Format>& formats,
                                 const std::vector<std::string>& preference) {
  for (const std::string& name : preference) {
    const CodecSpec* spec = detail::find_codec(name);
    if (spec == nullptr) continue;
    for (const Format& format : formats) {
      if (detail::matches(format, *spec)) return &format;
    }
  }
  return nullptr;
}

// The first of `formats` that is one of `codecs` (the far end's choice in an answer).
const Format* pick_first_known(const std::vector<Format>& formats,
                               const std::vector<std::string>& codecs) {
  for (const Format& format : formats) {
    for (const std::string& name : codecs) {
      const CodecSpec* spec = detail::find_codec(name);
      if (spec != nullptr && detail::matches(format, *spec)) return &format;
    }
  }
  return nullptr;
}

// The values both answer() and accept_answer() derive from the far end's audio description.
Negotiated agree_on(const Format& codec, const AudioDescription& remote, const LocalMedia& local) {
  Negotiated n;
  n.codec = codec;
  if (local.telephone_event) {
    if (const Format* te = detail::find_telephone_event(remote.formats, codec.clock_rate)) {
      n.telephone_event_pt = te->payload_type;
      n.telephone_event_clock_hz = te->clock_rate;
    }
  }
  n.ptime_ms = local.ptime_ms;
  n.local = agree(local.direction, remote);
  if (local.audio_level && remote.audio_level_ext_id && sends(remote.audio_level_direction)) {
    n.audio_level_ext_id = remote.audio_level_ext_id;
  }
  n.remote_address = remote.address;
  n.remote_port = remote.port;
  n.rtcp_mux = false;  // never accepted: the media hub keeps RTCP on its own port
  return n;
}

detail::AudioSection answer_section(const Negotiated& n, const AudioDescription& offer) {
  detail::AudioSection section;
  section.proto = offer.proto;
  Format codec = n.codec;
  const CodecSpec* spec = detail::find_codec(codec.name);
  codec.name = spec->name;  // tutti's spelling; the payload type stays the offer's
  codec.fmtp = spec->fmtp;
  section.formats.push_back(std::move(codec));
  if (n.telephone_event_pt) {
    section.formats.push_back(
        detail::telephone_event_format(*n.telephone_event_pt, n.telephone_event_clock_hz));
  }
  section.ptime_ms = n.ptime_ms;
  section.audio_level_ext_id = n.audio_level_ext_id;
  section.direction = n.local;
  return section;
}

}  // namespace

Result<Negotiated> answer(const SessionDescription& offer, const LocalMedia& local) {
  if (!offer.audio || offer.audio->port == 0) return invalid("no audio stream");
  const AudioDescription& audio = *offer.audio;
  if (Status s = check_transport(audio); !s) return s;
  const bool ip6 = local.address.find(':') != std::string::npos;
  if (!detail::is_numeric_address(local.address, ip6)) {
    return invalid("local address '" + local.address + "' is not a numeric IP address");
  }
  const Format* codec = pick_by_preference(audio.formats, local.codecs);
  if (codec == nullptr) return invalid("no common codec");
  Negotiated n = agree_on(*codec, audio, local);
  n.sdp = detail::write_description(local, answer_section(n, audio), offer.other);
  return n;
}

std::string make_offer(const LocalMedia& local) {
  detail::AudioSection section;
  bool opus = false;
  for (const std::string& name : local.codecs) {
    const CodecSpec* spec = detail::find_codec(name);
    if (spec == nullptr) continue;
    bool listed = false;
    for (const Format& f : section.formats) listed = listed || f.name == spec->name;
    if (listed) continue;
    section.formats.push_back(detail::format_of(*spec, spec->offer_payload_type));
    opus = opus || spec->name == "opus";
  }
  if (local.telephone_event) {
    section.formats.push_back(detail::telephone_event_format(detail::kOfferTelephoneEventPt, 8000));
    if (opus) {
      section.formats.push_back(
          detail::telephone_event_format(detail::kOfferOpusTelephoneEventPt, 48000));
    }
  }
  section.ptime_ms = local.ptime_ms;
  if (local.audio_level) section.audio_level_ext_id = 1;
  section.direction = local.direction;
  return detail::write_description(local, section, {});
}

Result<Negotiated> accept_answer(const LocalMedia& local, const SessionDescription& answer) {
  if (!answer.audio || answer.audio->port == 0) return invalid("the answer refused audio");
  const AudioDescription& audio = *answer.audio;
  if (Status s = check_transport(audio); !s) return s;
  const Format* codec = pick_first_known(audio.formats, local.codecs);
  if (codec == nullptr) return invalid("no common codec: the answer has none that was offered");
  return agree_on(*codec, audio, local);
}

}  // namespace tutti::sdp
