// Big-endian (network order) loads and stores. Callers check bounds before calling.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tutti::rtp::detail {

inline uint16_t load_u16(std::span<const uint8_t> b, std::size_t at) {
  return static_cast<uint16_t>((b[at] << 8) | b[at + 1]);
}
inline uint32_t load_u24(std::span<const uint8_t> b, std::size_t at) {
  return (uint32_t{b[at]} << 16) | (uint32_t{b[at + 1]} << 8) | b[at + 2];
}
inline uint32_t load_u32(std::span<const uint8_t> b, std::size_t at) {
  return (uint32_t{b[at]} << 24) | (uint32_t{b[at + 1]} << 16) | (uint32_t{b[at + 2]} << 8) |
         b[at + 3];
}
inline void store_u16(std::span<uint8_t> b, std::size_t at, uint16_t v) {
  b[at] = static_cast<uint8_t>(v >> 8);
  b[at + 1] = static_cast<uint8_t>(v);
}
inline void store_u24(std::span<uint8_t> b, std::size_t at, uint32_t v) {
  b[at] = static_cast<uint8_t>(v >> 16);
  b[at + 1] = static_cast<uint8_t>(v >> 8);
  b[at + 2] = static_cast<uint8_t>(v);
}
inline void store_u32(std::span<uint8_t> b, std::size_t at, uint32_t v) {
  store_u16(b, at, static_cast<uint16_t>(v >> 16));
  store_u16(b, at + 2, static_cast<uint16_t>(v));
}

}  // namespace tutti::rtp::detail
