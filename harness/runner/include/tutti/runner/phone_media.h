// The media of one virtual participant of `tutti run`: an RTP/RTCP port pair on loopback that
// sends what the participant says (a tone, a file, noise, silence; RFC 4733 digits) every 20 ms
// and keeps what it hears on the scenario's timeline, for the expectations to check afterwards.
//
// Glossary: "send" is this phone -> the far end (the server); "heard"/"received" the reverse.
//
// Threads: every public method is for control threads (the runner) and is thread safe; they
// take the phone's mutex, which the pool's media thread also takes for one packet or one frame
// at a time. Nothing here is real-time safe; it is a test tool, kept short of long waits.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tutti/codecs/codec.h"
#include "tutti/rtp/receiver_stats.h"
#include "tutti/rtp/rtp_packet.h"
#include "tutti/rtp/telephone_event.h"
#include "tutti/runner/audio_source.h"
#include "tutti/runner/heard_audio.h"
#include "tutti/status.h"

namespace tutti::runner {

inline constexpr int kPtimeMs = 20;

// What SDP negotiation agreed for the call (the runner fills it from the answer).
struct MediaFormat {
  std::string codec = "PCMU";  // SDP encoding name: PCMU, PCMA, G722, opus
  int payload_type = 0;
  int clock_rate_hz = 8000;  // RTP clock (8000 for G722, 48000 for opus); telephone-event too
  std::optional<int> telephone_event_pt;
  int decode_rate_hz = 0;  // 0: the codec's rate; opus may decode at 8/16/24 kHz to save memory
  bool keep_audio = true;  // false: count packets but keep no PCM (scale runs)
};

struct PhoneMediaStats {
  uint64_t packets_in = 0;   // RTP packets received (audio and telephone-event)
  uint64_t packets_out = 0;  // RTP packets sent (audio and telephone-event)
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  int64_t lost = 0;         // RFC 3550 cumulative loss, summed over the sources heard
  double jitter_ms = 0;     // RFC 3550 interarrival jitter of the current source
  uint64_t late_in = 0;     // packets arriving > 60 ms after their timestamp's due time
  uint64_t late_sends = 0;  // frames sent a tick or more after their time (media thread late)
  uint64_t malformed = 0;   // not RTP, or a payload the decoder refused
  uint64_t unknown_payload_type = 0;
  uint64_t rtcp_in = 0;  // read and otherwise ignored
  uint64_t digits_in = 0;
  uint64_t digits_out = 0;
  uint64_t send_errors = 0;
};

struct ReceivedDigit {
  char digit = 0;
  double start_s = 0;  // arrival of the event's first packet, scenario time
  double end_s = 0;    // arrival of the packet that ended it
};

class PhoneMediaPool;

class PhoneMedia {
 public:
  ~PhoneMedia();
  PhoneMedia(const PhoneMedia&) = delete;
  PhoneMedia& operator=(const PhoneMedia&) = delete;

  const std::string& name() const { return name_; }
  uint16_t rtp_port() const { return rtp_port_; }  // RTCP is rtp_port() + 1
  const std::string& local_address() const { return local_address_; }

  // After SDP negotiation (again after a re-INVITE that changes codec): builds the encoder,
  // decoder and the audio source at the codec's rate. Heard audio so far is kept when the
  // decode rate stays the same. Allocates.
  Status configure(const MediaFormat& format);
  Status configure(std::string_view codec, int payload_type, int clock_rate_hz,
                   std::optional<int> telephone_event_pt);
  // Where to send: a numeric IPv4 address. Until set, the source of the first packet received
  // is used (symmetric RTP).
  Status set_remote(std::string_view address, uint16_t port);
  // What this phone says; built now if configured, else at configure().
  Status set_source(const AudioSourceSpec& spec);

  void start_sending();
  void stop_sending();
  // On hold this phone sends nothing (the runner renegotiates SDP); it still hears.
  void set_hold(bool on_hold);
  // Muted, the phone keeps sending, but silence.
  void set_muted(bool muted);
  bool is_sending() const;

  // Queues digits (0-9 * # A-D) as RFC 4733 events of duration_ms each, 40 ms apart; audio
  // pauses until the last one's end packets are out. kFailedPrecondition without an agreed
  // telephone-event payload type, kInvalidArgument for a character that is not a digit.
  Status send_digits(std::string_view digits, int duration_ms = 100);
  bool digits_pending() const;

  // PCM heard in scenario time [from_s, to_s) at heard_rate_hz(); silence where none came.
  std::vector<int16_t> heard(double from_s, double to_s) const;
  int heard_rate_hz() const;
  // True when any audio packet arrived in [from_s, to_s).
  bool received_any(double from_s, double to_s) const;
  std::vector<ReceivedDigit> digits_received() const;
  PhoneMediaStats stats() const;

 private:
  friend class PhoneMediaPool;
  struct DigitOut {
    uint8_t event = 0;
    bool active = false;
    bool first = true;
    uint32_t timestamp = 0;
    uint32_t elapsed = 0;  // RTP units
  };

  PhoneMedia(std::string name, std::string local_address, uint16_t rtp_port, int rtp_fd,
             int rtcp_fd);
  Status build_source_locked();

  // Media thread, via the pool.
  void on_tick(bool late);
  void on_rtp(std::span<const uint8_t> bytes, int64_t arrival_us, const sockaddr_in& from);
  void on_rtcp() {
    std::lock_guard lock(mutex_);
    ++stats_.rtcp_in;
  }
  void close_sockets();

  // phone_media_send.cpp
  void send_audio_locked();
  void send_digit_locked();
  void send_packet_locked(uint8_t payload_type, bool marker, uint32_t timestamp,
                          std::span<const uint8_t> payload);
  // phone_media_receive.cpp
  void receive_audio_locked(const rtp::RtpPacket& packet, int64_t arrival_us);
  void receive_event_locked(const rtp::RtpPacket& packet, int64_t arrival_us);
  // Follows the sender's SSRC and sequence; returns media_timestamp extended to 64 bits.
  int64_t track_source_locked(const rtp::RtpPacket& packet, uint32_t media_timestamp,
                              int64_t arrival_us);
  void place_audio_locked(int64_t timestamp, bool marker, int64_t arrival_us, int samples);

  const std::string name_;
  const std::string local_address_;
  const uint16_t rtp_port_;
  int rtp_fd_;
  int rtcp_fd_;

  std::mutex control_mutex_;  // serialises configure/set_source (held while building)
  mutable std::mutex mutex_;  // everything below; the media thread takes it per packet/frame
  std::optional<MediaFormat> format_;
  std::unique_ptr<codecs::Encoder> encoder_;
  std::unique_ptr<codecs::Decoder> decoder_;
  AudioSourceSpec source_spec_;
  std::unique_ptr<AudioSource> source_;
  std::vector<int16_t> frame_;  // one ptime at the encoder's rate
  std::vector<int16_t> decoded_;

  std::optional<sockaddr_in> remote_;
  bool sending_ = false;
  bool hold_ = false;
  bool muted_ = false;
  bool talkspurt_start_ = true;
  uint16_t sequence_;
  uint32_t timestamp_;  // advances every tick, sending or not: RTP time follows wall time
  uint32_t ssrc_;
  std::deque<char> digits_out_;
  int digit_duration_ms_ = 100;
  int digit_gap_ticks_ = 0;
  DigitOut digit_;

  // Receive side: the current source and where its timestamps land on the timeline.
  HeardAudio heard_;
  bool have_source_ = false;
  uint32_t source_ssrc_ = 0;
  uint32_t last_timestamp_ = 0;
  int64_t extended_timestamp_ = 0;
  bool anchored_ = false;
  int64_t anchor_timestamp_ = 0;  // extended RTP timestamp at anchor_sample_
  int64_t anchor_sample_ = 0;
  int64_t min_transit_us_ = 0;
  rtp::RtpReceiverStats receiver_stats_;
  int64_t lost_before_ = 0;  // loss of earlier sources
  rtp::DtmfDetector dtmf_;
  uint32_t event_timestamp_ = 0;
  double event_start_s_ = 0;
  double previous_event_start_s_ = 0;
  bool have_event_ = false;
  std::vector<ReceivedDigit> digits_in_;
  PhoneMediaStats stats_;
};

}  // namespace tutti::runner
