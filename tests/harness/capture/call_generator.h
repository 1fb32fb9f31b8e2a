// Synthetic calls for test captures: a caller dials a number (INVITE / 100 / 200 / ACK), both
// sides send PCMU every 20 ms, the caller keys RFC 4733 digits (3 frames each: two updates and
// three end packets), then hangs up (BYE / 200). Every time is derived from CallScript so the
// tests can state what they expect.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "capture_writer.h"
#include "tutti/capture/capture.h"

namespace tutti::capture::testing {

inline constexpr double kFrameSeconds = 0.020;
inline constexpr int kDigitFrames = 3;
inline constexpr int kEndRepeats = 3;
inline constexpr int kTelephoneEventPt = 101;

struct CallScript {
  std::string call_id = "call-1@test";
  std::string number = "1000";
  std::string from_user = "alice";
  std::string from_display = "Alice Example";
  Endpoint caller_sip{"10.0.0.1", 5060};
  Endpoint caller_media{"10.0.0.1", 4000};
  Endpoint server_sip{"10.0.0.100", 5060};
  Endpoint server_media{"10.0.0.100", 20000};
  double invite_time = 1700000000.0;
  int frames = 50;     // 20 ms audio frames each way
  std::string digits;  // RFC 4733, one every digit_spacing_frames from first_digit_frame
  int digit_spacing_frames = 10;
  int first_digit_frame = 10;
  std::vector<uint8_t> caller_audio;  // PCMU, 160 bytes per frame; empty: silence
  std::set<int> lost_frames;      // audio frames of the caller left out of the capture
  bool compact_headers = false;   // i:, f:, t:, l:, c: instead of the long names
  std::vector<char> info_digits;  // SIP INFO dtmf-relay, one per frame-10 step after ACK

  double answer_time() const { return invite_time + 0.100; }
  double media_start() const { return invite_time + 0.120; }
  double digit_time(std::size_t i) const {
    return media_start() +
           (first_digit_frame + static_cast<int>(i) * digit_spacing_frames) * kFrameSeconds;
  }
  double info_time(std::size_t i) const { return answer_time() + 0.050 + 0.2 * i; }
  double bye_time() const { return media_start() + frames * kFrameSeconds + 0.020; }
  // Packets the caller's stream holds in the capture: audio frames not replaced by digits, the
  // digits' packets, less the lost frames.
  std::size_t sent_packets() const {
    return frames - digits.size() * kDigitFrames +
           digits.size() * (kDigitFrames - 1 + kEndRepeats) - lost_frames.size();
  }
};

// Adds the call's SIP and RTP to the writer.
void add_call(CaptureWriter& writer, const CallScript& script);

// One SIP message with the right Content-Length.
std::string sip_message(const std::string& start_line, const std::vector<std::string>& headers,
                        const std::string& body = "");
std::string sdp_body(const Endpoint& media, int session_id);

// A PCMU RTP packet (160 bytes of payload).
std::vector<uint8_t> rtp_packet(uint16_t sequence, uint32_t timestamp, uint32_t ssrc,
                                uint8_t payload_type, bool marker,
                                std::span<const uint8_t> payload);

}  // namespace tutti::capture::testing
