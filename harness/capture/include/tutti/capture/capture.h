// A recorded call capture (pcap or pcapng) read into the calls `tutti replay` plays back.
//
// Glossary, from the caller's point of view (the caller is the side that sent the INVITE):
//   sent      what the caller sent to the server: the packets a replay sends again.
//   received  what the server sent back to the caller: kept as a summary for the report only.
// Times are capture timestamps in seconds since the Unix epoch (microsecond or nanosecond
// precision as the file has it); kNotSeen marks an event the capture does not hold.
//
// What is found and what is skipped is described in docs/replay.md.
//
// Threads: control plane only. read_capture() reads a whole file and allocates freely; call it
// from any thread, never from a real-time one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tutti/sdp/sdp.h"
#include "tutti/status.h"

namespace tutti::capture {

inline constexpr double kNotSeen = -1.0;

// An IPv4 or IPv6 address in its canonical text form (inet_ntop) and a UDP port.
struct Endpoint {
  std::string address;
  uint16_t port = 0;
  bool empty() const { return address.empty(); }
  std::string to_string() const;  // "10.0.0.1:5060", "[::1]:5060"
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
  friend auto operator<=>(const Endpoint&, const Endpoint&) = default;
};

// One RTP packet the caller sent, as captured.
struct CapturedPacket {
  double time = 0;  // capture time, seconds
  uint16_t sequence = 0;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0;
  uint8_t payload_type = 0;
  bool marker = false;
  std::vector<uint8_t> payload;  // without RTP header, extension and padding
};

enum class DigitMethod { kRfc4733, kSipInfo };
const char* digit_method_name(DigitMethod method);  // "rfc4733", "sip-info"

struct CapturedDigit {
  char digit = 0;   // '0'-'9', '*', '#', 'A'-'D'
  double time = 0;  // RFC 4733: first packet of the event; SIP INFO: the INFO request
  DigitMethod method = DigitMethod::kRfc4733;
};

// One direction of a call's RTP.
struct StreamSummary {
  Endpoint source;
  Endpoint destination;
  std::size_t packets = 0;       // RTP packets captured (duplicates included)
  int64_t lost = 0;              // expected - received (RFC 3550 A.3; may be negative)
  double jitter_ms = 0;          // RFC 3550 A.8 interarrival jitter of the audio packets
  std::size_t rtcp_packets = 0;  // RTCP on the port + 1 or multiplexed on the RTP port
  std::size_t ssrc_changes = 0;  // the SSRC differed from the previous packet's
  double first_time = kNotSeen;
  double last_time = kNotSeen;
  std::string digits;  // RFC 4733 digits of this direction, in order
};

struct CapturedCall {
  std::string call_id;
  std::string number;        // Request-URI user of the INVITE: the number dialled
  std::string from_user;     // user part of the From URI
  std::string from_display;  // From display name, unquoted ("" when none)
  double invite_time = kNotSeen;
  double answer_time = kNotSeen;  // first 2xx to the INVITE
  double bye_time = kNotSeen;     // first BYE, from either side
  int final_status = 0;           // final response to the INVITE (0: none captured)
  bool bye_from_caller = false;
  Endpoint caller_sip;    // where the INVITE came from
  Endpoint caller_media;  // the caller's SDP c=/m= address: source of `sent`
  Endpoint server_media;  // the answer's SDP address (empty without an answer)
  std::optional<sdp::SessionDescription> offer;   // the caller's SDP (INVITE, or ACK)
  std::optional<sdp::SessionDescription> answer;  // the server's SDP (2xx to the INVITE)
  sdp::Format codec;  // the codec the caller sent (payload_type 0 and no name: unknown)
  std::optional<int> telephone_event_pt;
  std::vector<CapturedPacket> sent;  // every RTP packet the caller sent, in capture order
  StreamSummary sent_summary;
  StreamSummary received_summary;
  std::vector<CapturedDigit> digits;  // what the caller keyed: RFC 4733 and SIP INFO, by time

  bool answered() const { return answer_time != kNotSeen; }
  bool hung_up() const { return bye_time != kNotSeen; }
};

// What was skipped, counted; messages explain the first few of each kind (kMaxMessages in all).
struct CaptureWarnings {
  static constexpr std::size_t kMaxMessages = 64;
  bool truncated = false;              // the file ended inside a packet or its header
  bool unknown_link_type = false;      // nothing could be decoded
  std::size_t non_ip = 0;              // ARP, LLDP, ... on the link
  std::size_t non_udp = 0;             // TCP, ICMP, SCTP, ...
  std::size_t fragments = 0;           // IPv4 or IPv6 fragments (not reassembled)
  std::size_t malformed = 0;           // link, IP or UDP header that lies about its length
  std::size_t snapped = 0;             // cut short by the capture's snap length
  std::size_t sip_unparsed = 0;        // looked like SIP but did not parse
  std::size_t sip_without_invite = 0;  // dialogs whose INVITE is not in the capture
  std::size_t sdp_unparsed = 0;        // SIP bodies that were meant to be SDP but did not parse
  std::size_t rtp_without_sdp = 0;     // RTP packets to and from addresses no SDP announced
  std::size_t other_udp = 0;           // UDP that is neither SIP nor RTP
  std::vector<std::string> messages;
  std::size_t messages_dropped = 0;  // messages beyond kMaxMessages

  void add_message(std::string message);
};

struct Capture {
  std::string format;     // "pcap" or "pcapng"
  std::string link_type;  // "EN10MB", "NULL", "LINUX_SLL", ...
  std::size_t packets_read = 0;
  std::size_t udp_datagrams = 0;
  std::size_t sip_messages = 0;
  double first_time = kNotSeen;
  double last_time = kNotSeen;
  std::vector<CapturedCall> calls;  // by INVITE time
  CaptureWarnings warnings;
};

// Reads a pcap or pcapng file. A file that is not a capture, or cannot be read, gives an error
// Status (kInvalidArgument for a foreign format, kNotFound for a missing file). A file cut short
// gives the packets before the cut and warnings.truncated.
Result<Capture> read_capture(const std::string& path);

}  // namespace tutti::capture
