#include "stream_setup.h"

#include <algorithm>

namespace tutti::media::detail {
namespace {

Status invalid(std::string message) { return {StatusCode::kInvalidArgument, std::move(message)}; }

Status check_payload_types(const StreamParams& p) {
  if (p.payload_type > 127) return invalid("media: payload_type must be 0..127");
  if (p.telephone_event_pt &&
      (*p.telephone_event_pt > 127 || *p.telephone_event_pt == p.payload_type)) {
    return invalid("media: telephone_event_pt must be 0..127 and differ from payload_type");
  }
  if (p.audio_level_ext_id && *p.audio_level_ext_id == 0) {
    return invalid("media: audio_level_ext_id must be 1..255");
  }
  return Status::ok();
}

Status resolve_far_end(const StreamParams& p, int socket_family, Target& t) {
  if (p.remote_address.empty()) return Status::ok();  // no far end yet: receive only
  const uint16_t rtcp_port =
      p.remote_rtcp_port != 0 ? p.remote_rtcp_port : static_cast<uint16_t>(p.remote_rtp_port + 1);
  const std::optional<Endpoint> rtp =
      parse_remote(p.remote_address, p.remote_rtp_port, socket_family);
  const std::optional<Endpoint> rtcp = parse_remote(p.remote_address, rtcp_port, socket_family);
  if (!rtp || !rtcp) {
    return invalid("media: remote_address '" + p.remote_address +
                   "' is not a numeric address of the bind address's family");
  }
  t.rtp_sdp = *rtp;
  t.rtcp_sdp = *rtcp;
  t.rtcp_mux = p.remote_rtcp_port != 0 && p.remote_rtcp_port == p.remote_rtp_port;
  return Status::ok();
}

}  // namespace

Result<std::unique_ptr<Target>> make_target(const StreamParams& params, int socket_family,
                                            int tick_ms) {
  if (!params.link.valid()) return invalid("media: the stream needs a valid engine link");
  if (params.clock_rate_hz <= 0 || params.clock_rate_hz * tick_ms % 1000 != 0) {
    return invalid("media: clock_rate_hz must give whole samples per tick");
  }
  if (Status s = check_payload_types(params); !s) return s;
  auto target = std::make_unique<Target>();
  if (Status s = resolve_far_end(params, socket_family, *target); !s) return s;
  target->params = params;
  target->samples_per_tick = static_cast<uint32_t>(params.clock_rate_hz * tick_ms / 1000);
  target->send_audio = params.send && target->rtp_sdp.valid() && !target->rtp_sdp.unspecified() &&
                       params.remote_rtp_port != 0;
  return target;
}

void add_stats(StreamStats& total, const StreamStats& s) {
  total.rtp_in += s.rtp_in;
  total.rtp_out += s.rtp_out;
  total.bytes_in += s.bytes_in;
  total.bytes_out += s.bytes_out;
  total.malformed_rtp += s.malformed_rtp;
  total.malformed_rtcp += s.malformed_rtcp;
  total.malformed_dtmf += s.malformed_dtmf;
  total.unknown_payload_type += s.unknown_payload_type;
  total.foreign_source += s.foreign_source;
  total.link_full += s.link_full;
  total.lost += s.lost;
  total.jitter_ms = std::max(total.jitter_ms, s.jitter_ms);
  total.rtcp_in += s.rtcp_in;
  total.rtcp_out += s.rtcp_out;
  total.remote_fraction_lost = std::max(total.remote_fraction_lost, s.remote_fraction_lost);
  total.dtmf_in += s.dtmf_in;
  total.dtmf_out += s.dtmf_out;
  total.late_sends += s.late_sends;
}

StreamStats StreamCounters::snapshot() const {
  constexpr auto kRelaxed = std::memory_order_relaxed;
  StreamStats s;
  s.rtp_in = rtp_in.load(kRelaxed);
  s.rtp_out = rtp_out.load(kRelaxed);
  s.bytes_in = bytes_in.load(kRelaxed);
  s.bytes_out = bytes_out.load(kRelaxed);
  s.malformed_rtp = malformed_rtp.load(kRelaxed);
  s.malformed_rtcp = malformed_rtcp.load(kRelaxed);
  s.malformed_dtmf = malformed_dtmf.load(kRelaxed);
  s.unknown_payload_type = unknown_payload_type.load(kRelaxed);
  s.foreign_source = foreign_source.load(kRelaxed);
  s.link_full = link_full.load(kRelaxed);
  s.lost = lost.load(kRelaxed);
  s.jitter_ms = jitter_ms.load(kRelaxed);
  s.rtcp_in = rtcp_in.load(kRelaxed);
  s.rtcp_out = rtcp_out.load(kRelaxed);
  s.remote_fraction_lost = remote_fraction_lost.load(kRelaxed);
  s.dtmf_in = dtmf_in.load(kRelaxed);
  s.dtmf_out = dtmf_out.load(kRelaxed);
  s.late_sends = late_sends.load(kRelaxed);
  return s;
}

}  // namespace tutti::media::detail
