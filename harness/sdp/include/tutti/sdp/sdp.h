// SDP (RFC 4566) for one audio stream, and offer/answer (RFC 3264) for the codecs tutti mixes:
// PCMU, PCMA, G722, opus/48000/2, plus telephone-event (RFC 4733), ptime, the direction
// attributes and the RFC 6464 client-to-mixer audio level header extension (RFC 8285 extmap).
//
// Control plane only (parsing allocates): the SIP thread calls these while setting up a call.
// Malformed text is refused with a Status naming the line ("line 4: m=: port is not a number").
// Bounds: at most kMaxSdpBytes of text, kMaxFormats formats per m= line, kMaxMediaLines m= lines.
// Written SDP uses CRLF; parse() takes CRLF or LF and ignores trailing blanks and unknown lines.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tutti/status.h"

namespace tutti::sdp {

inline constexpr std::size_t kMaxSdpBytes = 64 * 1024;
inline constexpr std::size_t kMaxFormats = 64;
inline constexpr std::size_t kMaxMediaLines = 32;

enum class Direction { kSendRecv, kSendOnly, kRecvOnly, kInactive };
const char* direction_name(Direction direction);  // "sendrecv", ...
// What the other side's direction means for us: sendonly <-> recvonly, the rest unchanged.
Direction reverse(Direction direction);
inline bool sends(Direction d) { return d == Direction::kSendRecv || d == Direction::kSendOnly; }
inline bool receives(Direction d) { return d == Direction::kSendRecv || d == Direction::kRecvOnly; }

// One payload format of an m= line (rtpmap + fmtp).
struct Format {
  int payload_type = 0;
  std::string name;  // as written ("PCMU", "opus", "telephone-event"); compare case-blind
  int clock_rate = 0;
  int channels = 1;
  std::string fmtp;  // the a=fmtp value after the payload type, "" when none
};

// The first audio m= line of a session description (tutti carries one audio stream; other
// m= lines are kept only as count so that an answer can reject them with port 0).
struct AudioDescription {
  std::string address;  // c= address (media level wins over session level); "0.0.0.0" = hold
  uint16_t port = 0;    // 0 = stream refused
  std::vector<Format> formats;  // in the order of the m= line (static types filled in)
  Direction direction = Direction::kSendRecv;
  int ptime_ms = 0;  // 0 = not given
  std::optional<int>
      audio_level_ext_id;  // extmap id of urn:ietf:params:rtp-hdrext:ssrc-audio-level
  // The extmap's /direction, from the writer's side: it sends levels only if sends() holds.
  Direction audio_level_direction = Direction::kSendRecv;
  bool rtcp_mux = false;
  std::string proto = "RTP/AVP";  // RTP/AVP or RTP/AVPF are answered; secure profiles are not
};

// An m= line other than the first audio one, kept so that an answer can refuse it in place
// (RFC 3264 §6: the answer has as many m= lines as the offer, in the same order).
struct OtherMedia {
  int position = 0;    // 0-based among all m= lines
  std::string media;   // "video", "application", a second "audio", ...
  std::string proto;   // "RTP/SAVPF", "UDP/DTLS/SCTP", ...
  std::string format;  // the first format, repeated in the refusing "m=video 0 ..." line
};

struct SessionDescription {
  std::string origin_user = "-";
  uint64_t session_id = 0;
  uint64_t session_version = 0;
  std::string origin_address;
  std::optional<AudioDescription> audio;  // none: the offer had no audio m= line
  int other_media = 0;                    // m= lines that are not the first audio one
  std::vector<OtherMedia> other;          // the same lines (other.size() == other_media)
};

Result<SessionDescription> parse(std::string_view text);

// What tutti offers or accepts on its side of a call.
struct LocalMedia {
  std::string address;  // where tutti receives RTP (c= line)
  uint16_t port = 0;    // even; RTCP on port + 1
  // Preference order; names from {"opus", "G722", "PCMU", "PCMA"}.
  std::vector<std::string> codecs = {"opus", "G722", "PCMU", "PCMA"};
  bool telephone_event = true;
  bool audio_level = true;  // accept/offer RFC 6464
  int ptime_ms = 20;
  Direction direction = Direction::kSendRecv;
  uint64_t session_id = 0;  // o= line; the caller keeps it per call
  uint64_t session_version = 0;
};

// The outcome of a negotiation: what both ends send and expect.
struct Negotiated {
  Format codec;                            // the one audio codec both sides use
  std::optional<int> telephone_event_pt;   // RFC 4733 payload type agreed, if any
  int telephone_event_clock_hz = 0;        // its RTP clock (0 when none agreed)
  int ptime_ms = 20;                       // packetization tutti sends with
  Direction local = Direction::kSendRecv;  // what tutti does (from its point of view)
  std::optional<int> audio_level_ext_id;   // RFC 6464 id both sides use, if any
  std::string remote_address;              // where to send RTP
  uint16_t remote_port = 0;                // RTP port; RTCP at +1 unless rtcp_mux
  bool rtcp_mux = false;
  std::string sdp;  // the answer text from answer(); empty from accept_answer()
};

// Answers an offer. Picks the first codec of `local.codecs` the offer has (tutti's order, so the
// server decides), keeps the offer's payload type numbers, answers the direction (sendonly ->
// recvonly, inactive -> inactive, hold address 0.0.0.0 -> recvonly/inactive). Fails with
// kInvalidArgument ("no common codec", ...) when nothing fits: the SIP layer then answers 488.
// Codecs match case-blind by name and clock: opus/48000/2, G722/8000 (RFC 3551's clock for
// G.722), PCMU/8000, PCMA/8000. telephone-event: the offer's entry at the chosen codec's clock,
// else its 8000 Hz entry. ptime: tutti always sends local.ptime_ms and puts that in the answer
// (a=ptime is a wish, RFC 4566); the offer's value stays in offer.audio->ptime_ms. The audio
// level extmap is accepted (with its id) only when local.audio_level and the offerer sends it.
// rtcp-mux is never accepted (the media hub has a separate RTCP port). codec.fmtp is the
// offer's fmtp for the codec (the far end's wishes for what tutti sends). Other m= lines are
// refused in place with port 0.
Result<Negotiated> answer(const SessionDescription& offer, const LocalMedia& local);

// An offer for an outgoing call (dial-out): every codec of local.codecs with the usual payload
// types (opus 111, G722 9, PCMU 0, PCMA 8, telephone-event 101 at 8000 Hz and, with opus, 110
// at 48000 Hz), a=ptime:local.ptime_ms, "a=extmap:1/recvonly" for levels when local.audio_level.
std::string make_offer(const LocalMedia& local);

// Reads the answer to make_offer(local): the codec the far end picked (the first format of its
// m= line that is one of local.codecs, with the answer's payload type), its address and ptime
// (local.ptime_ms, as in answer()). Fails when the answer refused audio or has no such codec.
Result<Negotiated> accept_answer(const LocalMedia& local, const SessionDescription& answer);

}  // namespace tutti::sdp
