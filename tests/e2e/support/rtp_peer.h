// The media side of one SIPp call: a UDP socket on the port the scenario's SDP advertises
// (RTCP on the next port, drained), a sender thread that sends a PCMU tone (or RFC 4733 digits)
// every 20 ms, and a receiver thread that decodes what arrives to 8 kHz PCM and collects the
// digits it carries.
//
// The far end's address is learned from the first packet received (symmetric RTP), or given
// with set_remote(); nothing is sent before one of those.
//
// Threads: the public methods may be called from any thread (the test's); the peer's own two
// threads take the same mutex. Nothing here is real-time code.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace tutti::e2e {

using namespace std::chrono_literals;

inline constexpr int kPeerRateHz = 8000;
inline constexpr int kPeerFrameSamples = 160;  // 20 ms
inline constexpr int kTelephoneEventPayloadType = 101;

class RtpPeer {
 public:
  RtpPeer();
  ~RtpPeer();
  RtpPeer(const RtpPeer&) = delete;
  RtpPeer& operator=(const RtpPeer&) = delete;

  int port() const { return port_; }
  void set_remote(int port);
  std::optional<int> remote_port() const;

  // What the sender sends from now on: a sine of freq_hz at amplitude (1.0 = full scale), or
  // silence for freq_hz == 0.
  void play_tone(double freq_hz, double amplitude = 0.1);

  // Queues digits ('0'-'9', '*', '#') as RFC 4733 events, each held 100 ms then 3 end packets,
  // with 100 ms of audio between; returns at once. wait_digits_sent() waits for the queue.
  void send_digits(const std::string& digits);
  bool wait_digits_sent(std::chrono::milliseconds timeout);

  // What has arrived so far.
  std::size_t packets_received() const;
  std::size_t samples_received() const;  // a mark for received_since()
  std::vector<int16_t> received_since(std::size_t mark) const;
  std::vector<int16_t> last_received(std::chrono::milliseconds window) const;
  std::string digits_received() const;
  // Audio packets arrived within the last `within`.
  bool receiving(std::chrono::milliseconds within = 200ms) const;

  // Level of freq_hz in the last `window` of received audio, dB re full-scale sine (-200: none).
  double level_db(double freq_hz, std::chrono::milliseconds window = 500ms) const;

  // Polls until level_db(freq_hz, window) >= min_db (or <= max_db for the quiet variant).
  bool wait_for_tone(double freq_hz, double min_db, std::chrono::milliseconds timeout,
                     std::chrono::milliseconds window = 500ms) const;
  bool wait_for_quiet(double freq_hz, double max_db, std::chrono::milliseconds timeout,
                      std::chrono::milliseconds window = 500ms) const;
  bool wait_for_packets(std::size_t count, std::chrono::milliseconds timeout) const;

  // Sends `datagram` as it is from this peer's RTP socket to 127.0.0.1:to_port (bad input tests:
  // the server must take it as coming from the caller). False if it could not be sent.
  bool send_raw(std::span<const uint8_t> datagram, int to_port) const;
  uint32_t ssrc() const { return ssrc_; }

 private:
  void send_loop();
  void receive_loop();
  void send_audio_frame();
  void send_event_packet(uint8_t event, bool end, uint16_t duration, bool marker,
                         uint32_t timestamp);
  void send_packet(uint8_t payload_type, bool marker, uint32_t timestamp,
                   const uint8_t* payload, std::size_t size);

  int fd_ = -1;
  int rtcp_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};

  mutable std::mutex mutex_;
  std::optional<int> remote_port_;
  double tone_hz_ = 0.0;
  double amplitude_ = 0.0;
  std::deque<char> digit_queue_;
  bool digit_active_ = false;
  std::vector<int16_t> received_;
  std::string digits_;
  std::size_t packets_ = 0;
  std::chrono::steady_clock::time_point last_audio_;

  // Sender state (sender thread only).
  double phase_ = 0.0;
  uint16_t sequence_ = 0;
  uint32_t timestamp_ = 0;
  uint32_t ssrc_ = 0;

  std::thread receiver_;
  std::thread sender_;
};

}  // namespace tutti::e2e
