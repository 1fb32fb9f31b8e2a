// RTP packets (RFC 3550 section 5.1) with the RFC 6464 client-to-mixer audio level carried in an
// RFC 8285 header extension, one-byte (0xBEDE) or two-byte (0x100X) form.
//
// Threads: every function here is pure, may be called from any thread, never allocates and is
// real-time safe. Parsed packets borrow the input buffer: spans are valid only while it lives.
//
// Bounds: every length read from the wire (CSRC count, extension length, element lengths, padding
// count) is checked against the buffer before use; a packet that lies about a length is rejected
// with the error naming the field that lied.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "tutti/rtp/parsed.h"

namespace tutti::rtp {

inline constexpr std::size_t kRtpFixedHeaderBytes = 12;
inline constexpr std::size_t kMaxCsrcs = 15;
inline constexpr int kAudioLevelNotNegotiated = -1;

enum class RtpError {
  kTooShort,       // fewer than 12 bytes
  kBadVersion,     // version field is not 2
  kBadCsrcCount,   // the CSRC list runs past the end of the buffer
  kBadExtension,   // extension header or one of its elements runs past its end
  kBadPadding,     // padding count is 0 or longer than what follows the header
};
const char* rtp_error_name(RtpError error);

// RFC 6464: level in -dBov, 0 (loudest) .. 127 (silence), and the sender's voice-activity flag.
struct AudioLevel {
  uint8_t level_dbov = 127;
  bool voice = false;
  friend bool operator==(const AudioLevel&, const AudioLevel&) = default;
};

// The fields a sender chooses; write_rtp() takes these and parse_rtp() gives them back.
struct RtpHeader {
  bool marker = false;
  uint8_t payload_type = 0;  // 0..127
  uint16_t sequence = 0;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0;
  uint8_t csrc_count = 0;    // 0..15
  std::array<uint32_t, kMaxCsrcs> csrcs{};
};

struct RtpPacket {
  uint8_t version = 2;
  bool padding = false;
  bool has_extension = false;
  RtpHeader header;
  uint16_t extension_profile = 0;          // 0xBEDE, 0x100X or anything else (not interpreted)
  std::span<const uint8_t> extension_data;  // extension body, without its 4-byte header
  std::span<const uint8_t> payload;         // without padding
  std::optional<AudioLevel> audio_level;    // present only for the negotiated id
};

// Parses one RTP packet. audio_level_id is the extension id negotiated in SDP for
// urn:ietf:params:rtp-hdrext:ssrc-audio-level (1..255), or kAudioLevelNotNegotiated.
Parsed<RtpPacket, RtpError> parse_rtp(std::span<const uint8_t> data,
                                      int audio_level_id = kAudioLevelNotNegotiated);

// An audio level to write with the id it was negotiated under: ids 1..14 use the one-byte form,
// 15..255 the two-byte form.
struct AudioLevelExtension {
  int id = 1;
  AudioLevel level;
};

// Bytes write_rtp() needs for this header, payload size and extension choice.
std::size_t rtp_packet_size(const RtpHeader& header, std::size_t payload_bytes,
                            bool with_audio_level);

// Writes a packet into out and returns its size, or 0 if out is too small or a field is out of
// range (payload type > 127, CSRC count > 15, extension id outside 1..255). Never pads.
std::size_t write_rtp(const RtpHeader& header, std::span<const uint8_t> payload,
                      std::optional<AudioLevelExtension> audio_level, std::span<uint8_t> out);

}  // namespace tutti::rtp
