// Test rig for the media hub: a real Engine with PCMU participants, a MediaHub serving one
// stream per participant, and one plain-UDP "phone" per participant on 127.0.0.1 that sends
// and receives RTP/RTCP as a SIP phone would.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "tutti/codecs/registry.h"
#include "tutti/engine.h"
#include "tutti/media/media_hub.h"
#include "tutti/rtp/rtp_packet.h"

namespace tutti::media::test {

using Bytes = std::vector<uint8_t>;

// Ports the media tests bind; the allocator skips any another program holds.
inline constexpr uint16_t kTestPortLow = 41000;
inline constexpr uint16_t kTestPortHigh = 41999;

// A non-blocking UDP socket on 127.0.0.1 (an ephemeral port unless one is given).
class UdpSocket {
 public:
  explicit UdpSocket(uint16_t port = 0);
  ~UdpSocket();
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;

  bool valid() const { return fd_ >= 0; }
  uint16_t port() const { return port_; }
  void send_to(uint16_t port, std::span<const uint8_t> bytes) const;
  // One datagram, waiting up to timeout_ms; nullopt on timeout.
  std::optional<Bytes> receive(int timeout_ms) const;
  // Every datagram already queued.
  std::vector<Bytes> receive_all() const;

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

// A PCMU tone as RTP packets, one per 20 ms, from one SSRC.
class ToneRtp {
 public:
  ToneRtp(double freq_hz, uint32_t ssrc);
  Bytes next();
  uint16_t next_sequence() const { return sequence_; }
  uint32_t next_timestamp() const { return timestamp_; }
  uint32_t ssrc() const { return ssrc_; }

 private:
  std::unique_ptr<codecs::Encoder> encoder_;
  std::vector<int16_t> pcm_;
  double phase_ = 0;
  double step_;
  uint16_t sequence_ = 1000;
  uint32_t timestamp_ = 5000;
  uint32_t ssrc_;
};

struct Phone {
  UdpSocket rtp;
  UdpSocket rtcp;
  std::vector<rtp::RtpPacket> received;  // spans point into `storage`
  std::vector<std::unique_ptr<Bytes>> storage;
  void collect();  // moves every queued RTP datagram into `received`
};

struct Call {
  ParticipantLink link;
  OpenedStream stream;
  std::unique_ptr<Phone> phone = std::make_unique<Phone>();
};

class HubConference {
 public:
  // Engine (8 kHz room, 20 ms ticks, its own clock) with `participants` PCMU callers, each
  // with an opened hub stream and a phone; nothing started yet.
  explicit HubConference(int participants, MediaHubConfig config = test_hub_config());
  static MediaHubConfig test_hub_config();

  // What start() would get from SDP: PCMU/8000 pt 0, telephone-event pt 101, the phone's ports.
  StreamParams params(std::size_t call) const;
  void start_all();

  // Phone `from` sends `packets` 1 kHz tone packets 20 ms apart (or just waits when from < 0);
  // meanwhile every phone collects what the hub sends it.
  void talk(int from, int packets);

  Engine& engine() { return *engine_; }
  MediaHub& hub() { return *hub_; }
  Call& call(std::size_t i) { return calls_[i]; }
  ToneRtp& tone(std::size_t i) { return *tones_[i]; }
  RoomId room() const { return room_; }
  Call add_call();  // one more participant with an opened (not started) stream

 private:
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<MediaHub> hub_;
  RoomId room_;
  std::vector<Call> calls_;
  std::vector<std::unique_ptr<ToneRtp>> tones_;
};

// RMS of the decoded PCMU payloads of packets [first, end), in dBFS.
double decoded_rms_db(const std::vector<rtp::RtpPacket>& packets, std::size_t first);
// The 1 kHz level of the same, in dB.
double decoded_tone_db(const std::vector<rtp::RtpPacket>& packets, std::size_t first,
                       double freq_hz);

}  // namespace tutti::media::test
