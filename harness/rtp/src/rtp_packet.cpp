#include "tutti/rtp/rtp_packet.h"

#include <algorithm>

#include "bytes.h"

namespace tutti::rtp {
namespace {

using detail::load_u16;
using detail::load_u32;

constexpr uint16_t kOneByteProfile = 0xBEDE;
constexpr uint16_t kTwoByteProfileMask = 0xFFF0;
constexpr uint16_t kTwoByteProfile = 0x1000;
constexpr int kOneByteStopId = 15;  // RFC 8285 4.2: id 15 ends parsing of the block

AudioLevel decode_level(uint8_t byte) {
  return AudioLevel{static_cast<uint8_t>(byte & 0x7F), (byte & 0x80) != 0};
}

// Walks the elements of a one-byte or two-byte extension block; false if one runs past the end.
bool find_audio_level(std::span<const uint8_t> block, bool two_byte, int wanted_id,
                      std::optional<AudioLevel>& level) {
  std::size_t at = 0;
  while (at < block.size()) {
    if (block[at] == 0) {  // padding between elements
      ++at;
      continue;
    }
    int id = 0;
    std::size_t length = 0;
    if (two_byte) {
      if (at + 2 > block.size()) return false;
      id = block[at];
      length = block[at + 1];
      at += 2;
    } else {
      id = block[at] >> 4;
      if (id == kOneByteStopId) return true;
      length = (block[at] & 0x0F) + 1u;
      at += 1;
    }
    if (length > block.size() - at) return false;
    if (id == wanted_id && length >= 1) level = decode_level(block[at]);
    at += length;
  }
  return true;
}

}  // namespace

const char* rtp_error_name(RtpError error) {
  switch (error) {
    case RtpError::kTooShort: return "too_short";
    case RtpError::kBadVersion: return "bad_version";
    case RtpError::kBadCsrcCount: return "bad_csrc_count";
    case RtpError::kBadExtension: return "bad_extension";
    case RtpError::kBadPadding: return "bad_padding";
  }
  return "unknown";
}

Parsed<RtpPacket, RtpError> parse_rtp(std::span<const uint8_t> data, int audio_level_id) {
  if (data.size() < kRtpFixedHeaderBytes) return RtpError::kTooShort;
  RtpPacket packet;
  packet.version = data[0] >> 6;
  if (packet.version != 2) return RtpError::kBadVersion;
  packet.padding = (data[0] & 0x20) != 0;
  packet.has_extension = (data[0] & 0x10) != 0;
  RtpHeader& h = packet.header;
  h.csrc_count = data[0] & 0x0F;
  h.marker = (data[1] & 0x80) != 0;
  h.payload_type = data[1] & 0x7F;
  h.sequence = load_u16(data, 2);
  h.timestamp = load_u32(data, 4);
  h.ssrc = load_u32(data, 8);

  std::size_t at = kRtpFixedHeaderBytes;
  if (std::size_t{h.csrc_count} * 4 > data.size() - at) return RtpError::kBadCsrcCount;
  for (std::size_t i = 0; i < h.csrc_count; ++i, at += 4) h.csrcs[i] = load_u32(data, at);

  if (packet.has_extension) {
    if (data.size() - at < 4) return RtpError::kBadExtension;
    packet.extension_profile = load_u16(data, at);
    const std::size_t body_bytes = std::size_t{load_u16(data, at + 2)} * 4;
    at += 4;
    if (body_bytes > data.size() - at) return RtpError::kBadExtension;
    packet.extension_data = data.subspan(at, body_bytes);
    at += body_bytes;
    const bool one_byte = packet.extension_profile == kOneByteProfile;
    const bool two_byte = (packet.extension_profile & kTwoByteProfileMask) == kTwoByteProfile;
    if ((one_byte || two_byte) &&
        !find_audio_level(packet.extension_data, two_byte, audio_level_id, packet.audio_level)) {
      return RtpError::kBadExtension;
    }
  }

  std::size_t payload_bytes = data.size() - at;
  if (packet.padding) {
    if (payload_bytes == 0) return RtpError::kBadPadding;
    const std::size_t pad = data.back();
    if (pad == 0 || pad > payload_bytes) return RtpError::kBadPadding;
    payload_bytes -= pad;
  }
  packet.payload = data.subspan(at, payload_bytes);
  return packet;
}

std::size_t rtp_packet_size(const RtpHeader& header, std::size_t payload_bytes,
                            bool with_audio_level) {
  // One element of at most 3 bytes (two-byte form) fits in one 32-bit word after the 4-byte
  // extension header.
  return kRtpFixedHeaderBytes + std::size_t{header.csrc_count} * 4 +
         (with_audio_level ? 8u : 0u) + payload_bytes;
}

std::size_t write_rtp(const RtpHeader& header, std::span<const uint8_t> payload,
                      std::optional<AudioLevelExtension> audio_level, std::span<uint8_t> out) {
  if (header.payload_type > 127 || header.csrc_count > kMaxCsrcs) return 0;
  if (audio_level && (audio_level->id < 1 || audio_level->id > 255)) return 0;
  const std::size_t size = rtp_packet_size(header, payload.size(), audio_level.has_value());
  if (out.size() < size) return 0;

  out[0] = static_cast<uint8_t>(0x80 | (audio_level ? 0x10 : 0) | header.csrc_count);
  out[1] = static_cast<uint8_t>((header.marker ? 0x80 : 0) | header.payload_type);
  detail::store_u16(out, 2, header.sequence);
  detail::store_u32(out, 4, header.timestamp);
  detail::store_u32(out, 8, header.ssrc);
  std::size_t at = kRtpFixedHeaderBytes;
  for (std::size_t i = 0; i < header.csrc_count; ++i, at += 4) {
    detail::store_u32(out, at, header.csrcs[i]);
  }
  if (audio_level) {
    const uint8_t level = static_cast<uint8_t>((audio_level->level.voice ? 0x80 : 0) |
                                               (audio_level->level.level_dbov & 0x7F));
    const auto id = static_cast<uint8_t>(audio_level->id);
    const bool one_byte = audio_level->id <= 14;
    detail::store_u16(out, at, one_byte ? kOneByteProfile : kTwoByteProfile);
    detail::store_u16(out, at + 2, 1);  // one 32-bit word of elements
    const std::array<uint8_t, 4> one{static_cast<uint8_t>(id << 4), level, 0, 0};
    const std::array<uint8_t, 4> two{id, 1, level, 0};
    std::copy_n((one_byte ? one : two).begin(), 4, out.begin() + static_cast<std::ptrdiff_t>(at + 4));
    at += 8;
  }
  std::copy(payload.begin(), payload.end(), out.begin() + static_cast<std::ptrdiff_t>(at));
  return size;
}

}  // namespace tutti::rtp
