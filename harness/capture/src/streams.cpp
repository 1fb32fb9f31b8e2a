#include "streams.h"

#include <strings.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "tutti/rtp/receiver_stats.h"
#include "tutti/rtp/rtp_packet.h"
#include "tutti/rtp/telephone_event.h"

namespace tutti::capture {
namespace {

enum class Side { kSent, kReceived };

using CallIndex = std::map<Endpoint, std::vector<std::size_t>>;

bool is_rtcp(std::span<const uint8_t> payload) {
  // RFC 5761 4: RTCP packet types 192..223 cannot be RTP payload types 64..95 with the marker.
  return payload.size() >= 8 && (payload[0] >> 6) == 2 && payload[1] >= 192 && payload[1] <= 223;
}

// Version 2 and an audio-like payload type: static audio 0..34 or dynamic 96..127.
bool looks_like_rtp(std::span<const uint8_t> payload) {
  if (payload.size() < rtp::kRtpFixedHeaderBytes || (payload[0] >> 6) != 2) return false;
  const int pt = payload[1] & 0x7F;
  return pt <= 34 || pt >= 96;
}

bool is_telephone_event(const sdp::Format& format) {
  return strcasecmp(format.name.c_str(), "telephone-event") == 0;
}

// Payload type -> format, from the SDP whose numbers this direction uses first (RFC 3264: a side
// sends with the numbers the other side announced), then the other, then RFC 3551's static
// types.
class FormatTable {
 public:
  FormatTable(const std::optional<sdp::SessionDescription>& first,
              const std::optional<sdp::SessionDescription>& second)
      : first_(first), second_(second) {}

  std::optional<sdp::Format> find(int payload_type) const {
    for (const auto* description : {&first_, &second_}) {
      if (!*description || !(*description)->audio) continue;
      for (const sdp::Format& f : (*description)->audio->formats) {
        if (f.payload_type == payload_type && !f.name.empty()) return f;
      }
    }
    switch (payload_type) {
      case 0:
        return sdp::Format{0, "PCMU", 8000, 1, ""};
      case 8:
        return sdp::Format{8, "PCMA", 8000, 1, ""};
      case 9:
        return sdp::Format{9, "G722", 8000, 1, ""};
      default:
        return std::nullopt;
    }
  }

 private:
  const std::optional<sdp::SessionDescription>& first_;
  const std::optional<sdp::SessionDescription>& second_;
};

// RFC 4733 digits with the capture time of their event's first packet.
class DigitTimer {
 public:
  void feed(double time, uint32_t timestamp, std::span<const uint8_t> payload,
            std::vector<CapturedDigit>& out) {
    const auto event = rtp::parse_telephone_event(payload);
    if (!event) return;
    if (!current_ || static_cast<int32_t>(timestamp - *current_) > 0) {
      previous_start_ = current_start_;
      current_start_ = time;
      current_ = timestamp;
    }
    const rtp::DetectedDigits digits = detector_.feed(timestamp, *event);
    if (digits.count == 2) {
      out.push_back({digits.digits[0], previous_start_, DigitMethod::kRfc4733});
      out.push_back({digits.digits[1], current_start_, DigitMethod::kRfc4733});
    } else if (digits.count == 1) {
      // One digit from a packet that is not an end: the previous event lost its end packets.
      const double start = event->end ? current_start_ : previous_start_;
      out.push_back({digits.digits[0], start, DigitMethod::kRfc4733});
    }
  }
  void flush(std::vector<CapturedDigit>& out) {
    if (const auto digit = detector_.flush()) {
      out.push_back({*digit, current_start_, DigitMethod::kRfc4733});
    }
  }

 private:
  rtp::DtmfDetector detector_;
  std::optional<uint32_t> current_;
  double current_start_ = 0;
  double previous_start_ = 0;
};

struct DirectionResult {
  StreamSummary summary;
  std::vector<CapturedDigit> digits;
  std::vector<CapturedPacket> packets;
  std::map<int, std::size_t> audio_packets_by_pt;
  std::optional<int> telephone_event_pt;
};

DirectionResult process_direction(const std::vector<const Datagram*>& datagrams,
                                  const FormatTable& formats, bool keep_packets,
                                  CaptureWarnings& warnings) {
  DirectionResult out;
  StreamSummary& summary = out.summary;
  rtp::RtpReceiverStats all_packets;  // loss over every packet of the SSRC
  rtp::RtpReceiverStats audio;        // jitter of the audio only: events repeat a timestamp
  DigitTimer digit_timer;
  int audio_clock_hz = 0;
  std::optional<uint32_t> last_ssrc;
  for (const Datagram* d : datagrams) {
    if (is_rtcp(d->payload)) {
      ++summary.rtcp_packets;
      continue;
    }
    const auto parsed = rtp::parse_rtp(d->payload);
    if (!parsed) {
      ++warnings.other_udp;
      continue;
    }
    const rtp::RtpHeader& h = parsed->header;
    if (summary.packets++ == 0) {
      summary.first_time = d->time;
      summary.source = d->source;
      summary.destination = d->destination;
    }
    summary.last_time = d->time;
    if (last_ssrc && *last_ssrc != h.ssrc) ++summary.ssrc_changes;
    last_ssrc = h.ssrc;
    all_packets.on_packet(h.sequence, h.timestamp, 0);
    const auto format = formats.find(h.payload_type);
    if (format && is_telephone_event(*format)) {
      out.telephone_event_pt = h.payload_type;
      digit_timer.feed(d->time, h.timestamp, parsed->payload, out.digits);
    } else {
      ++out.audio_packets_by_pt[h.payload_type];
      if (audio_clock_hz == 0) audio_clock_hz = format ? format->clock_rate : 8000;
      const double since_start = (d->time - summary.first_time) * audio_clock_hz;
      audio.on_packet(h.sequence, h.timestamp,
                      static_cast<uint32_t>(static_cast<int64_t>(std::llround(since_start))));
    }
    if (keep_packets) {
      out.packets.push_back({d->time,
                             h.sequence,
                             h.timestamp,
                             h.ssrc,
                             h.payload_type,
                             h.marker,
                             {parsed->payload.begin(), parsed->payload.end()}});
    }
  }
  digit_timer.flush(out.digits);
  summary.lost = all_packets.cumulative_lost();
  if (audio_clock_hz > 0) summary.jitter_ms = 1000.0 * audio.jitter() / audio_clock_hz;
  for (const CapturedDigit& digit : out.digits) summary.digits += digit.digit;
  return out;
}

// The codec the caller used most, else what the SDPs agreed (the answer's first audio format).
void choose_codec(const DirectionResult& sent, const FormatTable& formats, CapturedCall& call) {
  std::optional<int> pt;
  std::size_t most = 0;
  for (const auto& [payload_type, count] : sent.audio_packets_by_pt) {
    if (count > most) pt = payload_type, most = count;
  }
  if (pt) {
    const auto format = formats.find(*pt);
    call.codec = format.value_or(sdp::Format{*pt, "", 0, 1, ""});
  }
  call.telephone_event_pt = sent.telephone_event_pt;
  for (const auto* description : {&call.answer, &call.offer}) {
    if (!*description || !(*description)->audio) continue;
    for (const sdp::Format& f : (*description)->audio->formats) {
      if (is_telephone_event(f) && !call.telephone_event_pt)
        call.telephone_event_pt = f.payload_type;
      if (!is_telephone_event(f) && call.codec.name.empty() && !pt) call.codec = f;
    }
  }
}

std::optional<std::size_t> latest_call_before(const CallIndex& index, const Endpoint& endpoint,
                                              double time, const std::vector<CapturedCall>& calls) {
  const auto it = index.find(endpoint);
  if (it == index.end()) return std::nullopt;
  std::optional<std::size_t> found;
  for (const std::size_t call : it->second) {
    if (calls[call].invite_time <= time) found = call;
  }
  return found;
}

void report_flows(const std::map<std::pair<Endpoint, Endpoint>, std::size_t>& flows,
                  CaptureWarnings& warnings) {
  for (const auto& [flow, packets] : flows) {
    warnings.add_message("RTP " + flow.first.to_string() + " -> " + flow.second.to_string() + " (" +
                         std::to_string(packets) +
                         " packets): no SDP announced either address; skipped");
  }
}

}  // namespace

void assign_streams(const std::vector<const Datagram*>& media, std::vector<CapturedCall>& calls,
                    CaptureWarnings& warnings) {
  CallIndex rtp_index;
  CallIndex rtcp_index;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const Endpoint& endpoint = calls[i].caller_media;
    if (endpoint.empty()) continue;
    rtp_index[endpoint].push_back(i);
    if (endpoint.port < 65535) {
      rtcp_index[{endpoint.address, static_cast<uint16_t>(endpoint.port + 1)}].push_back(i);
    }
  }
  std::vector<std::vector<const Datagram*>> sent(calls.size()), received(calls.size());
  std::vector<std::size_t> rtcp_sent(calls.size()), rtcp_received(calls.size());
  std::map<std::pair<Endpoint, Endpoint>, std::size_t> unknown_flows;
  for (const Datagram* d : media) {
    const double t = d->time;
    if (const auto from = latest_call_before(rtp_index, d->source, t, calls)) {
      sent[*from].push_back(d);
    } else if (const auto to = latest_call_before(rtp_index, d->destination, t, calls)) {
      received[*to].push_back(d);
    } else if (const auto rtcp_from = latest_call_before(rtcp_index, d->source, t, calls)) {
      ++rtcp_sent[*rtcp_from];
    } else if (const auto rtcp_to = latest_call_before(rtcp_index, d->destination, t, calls)) {
      ++rtcp_received[*rtcp_to];
    } else if (looks_like_rtp(d->payload) || is_rtcp(d->payload)) {
      ++warnings.rtp_without_sdp;
      ++unknown_flows[{d->source, d->destination}];
    } else {
      ++warnings.other_udp;
    }
  }
  report_flows(unknown_flows, warnings);

  for (std::size_t i = 0; i < calls.size(); ++i) {
    CapturedCall& call = calls[i];
    const FormatTable sent_formats(call.answer, call.offer);
    DirectionResult out = process_direction(sent[i], sent_formats, true, warnings);
    DirectionResult in =
        process_direction(received[i], FormatTable(call.offer, call.answer), false, warnings);
    choose_codec(out, sent_formats, call);
    call.sent = std::move(out.packets);
    call.sent_summary = std::move(out.summary);
    call.sent_summary.rtcp_packets += rtcp_sent[i];
    if (call.sent_summary.packets == 0) call.sent_summary.source = call.caller_media;
    call.received_summary = std::move(in.summary);
    call.received_summary.rtcp_packets += rtcp_received[i];
    if (call.received_summary.packets == 0) call.received_summary.destination = call.caller_media;
    call.digits.insert(call.digits.end(), out.digits.begin(), out.digits.end());
    std::stable_sort(
        call.digits.begin(), call.digits.end(),
        [](const CapturedDigit& a, const CapturedDigit& b) { return a.time < b.time; });
  }
}

}  // namespace tutti::capture
