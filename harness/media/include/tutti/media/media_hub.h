// The RTP/RTCP network side of `tutti serve`: one UDP socket pair (RTP even port, RTCP the odd
// one above) per call from a configured port range, served by media threads apart from the
// mixer, with batched socket I/O (recvmmsg/sendmmsg). Received packets go into the call's
// engine ParticipantLink (try_push_rtp); the engine's encoded output (try_pull_rtp) goes back
// out with an RTP header. RFC 4733 telephone-events are detected on the way in and can be sent
// on the way out. RTCP sender/receiver reports go out every ~5 s and are read on the way in.
//
// Strict media: a stream sends to the address from SDP; the first packet from elsewhere is
// latched (symmetric RTP, for callers behind NAT) only while nothing has come from the SDP
// address; after that, packets from any other address are dropped and counted.
//
// Threads: the control calls (open/start/update/close/send_dtmf/poll_dtmf) are for one
// control thread (the SIP thread) and may allocate. The media threads never allocate per
// packet and never wait on the control thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "tutti/engine.h"
#include "tutti/status.h"

namespace tutti::media {

struct MediaHubConfig {
  std::string bind_address = "127.0.0.1";  // numeric IPv4/IPv6 address the sockets bind to
  uint16_t port_low = 20000;               // even; RTP ports are low, low+2, ... <= port_high
  uint16_t port_high = 20999;
  int threads = 1;   // media threads (streams are spread over them)
  int tick_ms = 20;  // the engine's tick: one packet per tick and stream
  int max_streams = 4096;
  int rtcp_interval_ms = 5000;  // RTCP SR/RR period per stream (tests shorten it)
};

struct StreamId {
  uint32_t value = 0;
  friend bool operator==(StreamId, StreamId) = default;
};

// What a started stream carries (from the SDP negotiation).
struct StreamParams {
  ParticipantLink link;  // a codec participant of the engine (media.codec set)
  uint8_t payload_type = 0;
  int clock_rate_hz = 8000;  // RTP clock (8000 for PCMU/PCMA/G722, 48000 opus)
  std::optional<uint8_t> telephone_event_pt;
  std::optional<uint8_t> audio_level_ext_id;  // RFC 6464 extension id to read, if agreed
  std::string remote_address;                 // numeric; "0.0.0.0" = do not send
  uint16_t remote_rtp_port = 0;
  uint16_t remote_rtcp_port = 0;  // usually remote_rtp_port + 1 (same port with rtcp-mux)
  bool send = true;               // tutti sends audio (sendrecv/sendonly from tutti's side)
  bool receive = true;            // tutti accepts audio (sendrecv/recvonly from tutti's side)
};

struct OpenedStream {
  StreamId id;
  uint16_t rtp_port = 0;  // the local RTP port (RTCP on rtp_port + 1)
};

struct StreamStats {
  uint64_t rtp_in = 0;   // packets accepted into the link
  uint64_t rtp_out = 0;  // audio packets sent
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  uint64_t malformed_rtp = 0;  // not RTP v2, truncated, bad extension, ...
  uint64_t malformed_rtcp = 0;
  uint64_t malformed_dtmf = 0;  // telephone-event payloads that do not parse
  uint64_t unknown_payload_type = 0;
  uint64_t foreign_source = 0;  // from an address that is neither SDP nor latched
  uint64_t link_full = 0;       // the engine's input queue refused a packet
  uint64_t lost = 0;            // from sequence numbers (RFC 3550 cumulative)
  double jitter_ms = 0;         // RFC 3550 interarrival jitter
  uint64_t rtcp_in = 0;
  uint64_t rtcp_out = 0;
  double remote_fraction_lost = 0;  // from the far end's last report block (0..1)
  uint64_t dtmf_in = 0;             // digits detected (RFC 4733)
  uint64_t dtmf_out = 0;            // digits sent
  uint64_t late_sends = 0;          // audio packets sent more than one tick after their time
};

struct DtmfEvent {
  StreamId stream;
  char digit = 0;  // 0-9 * # A-D
  int duration_ms = 0;
};

class MediaHub {
 public:
  static Result<std::unique_ptr<MediaHub>> create(const MediaHubConfig& config);
  ~MediaHub();  // stops the threads and closes every socket
  MediaHub(const MediaHub&) = delete;
  MediaHub& operator=(const MediaHub&) = delete;

  // Control. Binds the next free even/odd port pair of the range (kResourceExhausted when the
  // range is used up). The stream neither sends nor receives until start().
  Result<OpenedStream> open_stream();
  // Control. Attaches the engine link and the far end; packets flow from now on.
  Status start(StreamId stream, const StreamParams& params);
  // Control. New far end, direction or link (re-INVITE, hold, a move into another room). The
  // media thread switches at a packet boundary; the sequence and timestamp stay continuous.
  Status update(StreamId stream, const StreamParams& params);
  // Control. Stops the stream and frees its ports (after a final RTCP BYE).
  void close(StreamId stream);

  // Control. Sends `digit` as RFC 4733 events (with the agreed payload type) for duration_ms,
  // audio paused meanwhile. kFailedPrecondition when no telephone-event was agreed.
  Status send_dtmf(StreamId stream, char digit, int duration_ms = 100);
  // Control (one consumer): digits received since the last call; returns how many.
  std::size_t poll_dtmf(std::span<DtmfEvent> out);

  Result<StreamStats> stats(StreamId stream) const;
  // Every stream, open or closed, added up; jitter_ms and remote_fraction_lost are the worst
  // (largest) of the streams instead of a sum.
  StreamStats totals() const;
  int open_streams() const;

 private:
  struct Impl;
  explicit MediaHub(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tutti::media
