// Byte vectors for wire-format tests: packets written out by hand, field by field.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace tutti::rtp {

using Bytes = std::vector<uint8_t>;

// Concatenates the parts of a hand-written packet.
inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

}  // namespace tutti::rtp
