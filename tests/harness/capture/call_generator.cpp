#include "call_generator.h"

#include <array>
#include <stdexcept>

#include "tutti/rtp/rtp_packet.h"
#include "tutti/rtp/telephone_event.h"

namespace tutti::capture::testing {
namespace {

std::string host(const Endpoint& e) { return e.address + ":" + std::to_string(e.port); }

struct Names {
  const char* call_id;
  const char* from;
  const char* to;
  const char* content_type;
};

Names names(bool compact) {
  return compact ? Names{"i", "f", "t", "c"} : Names{"Call-ID", "From", "To", "Content-Type"};
}

void add_sip(CaptureWriter& writer, const CallScript& s) {
  const Names n = names(s.compact_headers);
  const std::string from = std::string(n.from) + ": \"" + s.from_display +
                           "\" <sip:" + s.from_user + "@" + s.caller_sip.address +
                           ">;tag=caller-tag";
  const std::string to_plain =
      std::string(n.to) + ": <sip:" + s.number + "@" + s.server_sip.address + ">";
  const std::string to_tagged = to_plain + ";tag=server-tag";
  const std::string call_id = std::string(n.call_id) + ": " + s.call_id;
  const std::string via = "Via: SIP/2.0/UDP " + host(s.caller_sip) + ";branch=z9hG4bK-1";
  const std::string uri = "sip:" + s.number + "@" + host(s.server_sip);
  const std::string sdp_type = std::string(n.content_type) + ": application/sdp";

  writer.add_udp(s.invite_time, s.caller_sip, s.server_sip,
                 sip_message("INVITE " + uri + " SIP/2.0",
                             {via, from, to_plain, call_id, "CSeq: 1 INVITE", sdp_type},
                             sdp_body(s.caller_media, 1)));
  writer.add_udp(
      s.invite_time + 0.005, s.server_sip, s.caller_sip,
      sip_message("SIP/2.0 100 Trying", {via, from, to_plain, call_id, "CSeq: 1 INVITE"}));
  writer.add_udp(
      s.answer_time(), s.server_sip, s.caller_sip,
      sip_message("SIP/2.0 200 OK", {via, from, to_tagged, call_id, "CSeq: 1 INVITE", sdp_type},
                  sdp_body(s.server_media, 2)));
  writer.add_udp(
      s.answer_time() + 0.010, s.caller_sip, s.server_sip,
      sip_message("ACK " + uri + " SIP/2.0", {via, from, to_tagged, call_id, "CSeq: 1 ACK"}));
  for (std::size_t i = 0; i < s.info_digits.size(); ++i) {
    const std::string body = std::string("Signal=") + s.info_digits[i] + "\r\nDuration=160\r\n";
    const std::string info =
        sip_message("INFO " + uri + " SIP/2.0",
                    {via, from, to_tagged, call_id, "CSeq: " + std::to_string(2 + i) + " INFO",
                     std::string(n.content_type) + ": application/dtmf-relay"},
                    body);
    writer.add_udp(s.info_time(i), s.caller_sip, s.server_sip, info);
    writer.add_udp(s.info_time(i) + 0.5, s.caller_sip, s.server_sip, info);  // retransmission
  }
  writer.add_udp(
      s.bye_time(), s.caller_sip, s.server_sip,
      sip_message("BYE " + uri + " SIP/2.0", {via, from, to_tagged, call_id, "CSeq: 10 BYE"}));
  writer.add_udp(s.bye_time() + 0.005, s.server_sip, s.caller_sip,
                 sip_message("SIP/2.0 200 OK", {via, from, to_tagged, call_id, "CSeq: 10 BYE"}));
}

// The caller's stream: audio frames, and for each digit kDigitFrames frames of events in their
// place (the last one an end packet sent kEndRepeats times). Sequence numbers count every packet
// sent, including the lost ones.
void add_caller_rtp(CaptureWriter& writer, const CallScript& s) {
  const std::array<uint8_t, 160> silence = [] {
    std::array<uint8_t, 160> a{};
    a.fill(0xFF);
    return a;
  }();
  uint16_t sequence = 1000;
  const uint32_t ssrc = 0xCA11E4;
  for (int frame = 0; frame < s.frames; ++frame) {
    const double time = s.media_start() + frame * kFrameSeconds;
    const uint32_t timestamp = 5000 + static_cast<uint32_t>(frame) * 160;
    const int since_first = frame - s.first_digit_frame;
    const int digit = since_first >= 0 ? since_first / s.digit_spacing_frames : -1;
    const int step = since_first >= 0 ? since_first % s.digit_spacing_frames : -1;
    if (digit >= 0 && digit < static_cast<int>(s.digits.size()) && step < kDigitFrames) {
      const uint32_t event_timestamp = timestamp - static_cast<uint32_t>(step) * 160;
      rtp::TelephoneEvent event;
      event.event = *rtp::digit_to_event(s.digits[static_cast<std::size_t>(digit)]);
      event.duration = static_cast<uint16_t>((step + 1) * 160);
      event.end = step == kDigitFrames - 1;
      std::array<uint8_t, 4> payload{};
      if (rtp::write_telephone_event(event, payload) != 4) throw std::logic_error("event");
      for (int repeat = 0; repeat < (event.end ? kEndRepeats : 1); ++repeat) {
        writer.add_udp(
            time, s.caller_media, s.server_media,
            rtp_packet(sequence++, event_timestamp, ssrc, kTelephoneEventPt, step == 0, payload));
      }
      continue;
    }
    std::span<const uint8_t> audio = silence;
    const auto offset = static_cast<std::size_t>(frame) * silence.size();
    if (offset + silence.size() <= s.caller_audio.size()) {
      audio = std::span<const uint8_t>(s.caller_audio).subspan(offset, silence.size());
    }
    const auto packet = rtp_packet(sequence++, timestamp, ssrc, 0, frame == 0, audio);
    if (!s.lost_frames.contains(frame))
      writer.add_udp(time, s.caller_media, s.server_media, packet);
  }
}

void add_server_rtp(CaptureWriter& writer, const CallScript& s) {
  std::array<uint8_t, 160> tone{};
  for (std::size_t i = 0; i < tone.size(); ++i) tone[i] = static_cast<uint8_t>(i * 7);
  for (int frame = 0; frame < s.frames; ++frame) {
    writer.add_udp(s.media_start() + frame * kFrameSeconds + 0.001, s.server_media, s.caller_media,
                   rtp_packet(static_cast<uint16_t>(7000 + frame),
                              static_cast<uint32_t>(frame) * 160, 0x5E4E4, 0, frame == 0, tone));
  }
}

}  // namespace

std::string sip_message(const std::string& start_line, const std::vector<std::string>& headers,
                        const std::string& body) {
  std::string out = start_line;
  out += "\r\n";
  for (const std::string& h : headers) {
    out += h;
    out += "\r\n";
  }
  out += "Content-Length: ";
  out += std::to_string(body.size());
  out += "\r\n\r\n";
  out += body;
  return out;
}

std::string sdp_body(const Endpoint& media, int session_id) {
  const std::string id = std::to_string(session_id);
  const std::string family = media.address.find(':') != std::string::npos ? "IP6" : "IP4";
  std::string sdp = "v=0\r\no=- " + id + " " + id + " IN " + family + " " + media.address + "\r\n";
  sdp += "s=-\r\nc=IN " + family + " " + media.address + "\r\nt=0 0\r\n";
  sdp += "m=audio " + std::to_string(media.port) + " RTP/AVP 0 8 101\r\n";
  sdp += "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n";
  sdp += "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\n";
  return sdp;
}

std::vector<uint8_t> rtp_packet(uint16_t sequence, uint32_t timestamp, uint32_t ssrc,
                                uint8_t payload_type, bool marker,
                                std::span<const uint8_t> payload) {
  rtp::RtpHeader header;
  header.sequence = sequence;
  header.timestamp = timestamp;
  header.ssrc = ssrc;
  header.payload_type = payload_type;
  header.marker = marker;
  std::vector<uint8_t> out(rtp::rtp_packet_size(header, payload.size(), false));
  if (rtp::write_rtp(header, payload, std::nullopt, out) != out.size()) {
    throw std::logic_error("write_rtp");
  }
  return out;
}

void add_call(CaptureWriter& writer, const CallScript& script) {
  add_sip(writer, script);
  add_caller_rtp(writer, script);
  add_server_rtp(writer, script);
}

}  // namespace tutti::capture::testing
