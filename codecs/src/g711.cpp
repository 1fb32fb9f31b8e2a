// G.711 tables are built at compile time from the reference segment arithmetic (the classic
// Sun/CCITT g711.c formulation), so encode and decode are one table look-up per sample.
#include "tutti/codecs/g711.h"

#include <array>
#include <cstddef>

#include "tutti/codecs/status.h"

namespace tutti::codecs {
namespace {

constexpr int kMuBias = 0x84;  // 132: µ-law bias in 16-bit units
constexpr int kMuClip = 8159;  // largest 14-bit magnitude µ-law represents

constexpr int segment_of(int value, const std::array<int, 8>& ends) {
  for (int seg = 0; seg < 8; ++seg) {
    if (value <= ends[static_cast<size_t>(seg)]) return seg;
  }
  return 8;
}

// value14: the sample arithmetic-shifted right by 2 (14-bit).
constexpr uint8_t ulaw_from_14bit(int value14) {
  constexpr std::array<int, 8> kEnds = {0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF};
  int mask = 0xFF;
  if (value14 < 0) {
    value14 = -value14;
    mask = 0x7F;
  }
  if (value14 > kMuClip) value14 = kMuClip;
  value14 += kMuBias >> 2;
  const int seg = segment_of(value14, kEnds);
  if (seg >= 8) return static_cast<uint8_t>(0x7F ^ mask);
  const int code = (seg << 4) | ((value14 >> (seg + 1)) & 0xF);
  return static_cast<uint8_t>(code ^ mask);
}

// value13: the sample arithmetic-shifted right by 3 (13-bit).
constexpr uint8_t alaw_from_13bit(int value13) {
  constexpr std::array<int, 8> kEnds = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};
  int mask = 0xD5;
  if (value13 < 0) {
    mask = 0x55;
    value13 = -value13 - 1;
  }
  const int seg = segment_of(value13, kEnds);
  if (seg >= 8) return static_cast<uint8_t>(0x7F ^ mask);
  int code = seg << 4;
  code |= seg < 2 ? (value13 >> 1) & 0xF : (value13 >> seg) & 0xF;
  return static_cast<uint8_t>(code ^ mask);
}

constexpr int16_t ulaw_decode_arith(uint8_t code) {
  const int u = ~code & 0xFF;
  int t = ((u & 0xF) << 3) + kMuBias;
  t <<= (u & 0x70) >> 4;
  return static_cast<int16_t>((u & 0x80) != 0 ? kMuBias - t : t - kMuBias);
}

constexpr int16_t alaw_decode_arith(uint8_t code) {
  const int a = code ^ 0x55;
  int t = (a & 0xF) << 4;
  const int seg = (a & 0x70) >> 4;
  if (seg == 0) {
    t += 8;
  } else {
    t += 0x108;
    t <<= seg - 1;
  }
  return static_cast<int16_t>((a & 0x80) != 0 ? t : -t);
}

// Encode tables are indexed by the sample's top bits read as unsigned (two's complement).
constexpr auto kUlawEncode = [] {
  std::array<uint8_t, 1 << 14> table{};
  for (int i = 0; i < (1 << 14); ++i)
    table[static_cast<size_t>(i)] = ulaw_from_14bit(i < (1 << 13) ? i : i - (1 << 14));
  return table;
}();

constexpr auto kAlawEncode = [] {
  std::array<uint8_t, 1 << 13> table{};
  for (int i = 0; i < (1 << 13); ++i)
    table[static_cast<size_t>(i)] = alaw_from_13bit(i < (1 << 12) ? i : i - (1 << 13));
  return table;
}();

constexpr auto kUlawDecode = [] {
  std::array<int16_t, 256> table{};
  for (int i = 0; i < 256; ++i)
    table[static_cast<size_t>(i)] = ulaw_decode_arith(static_cast<uint8_t>(i));
  return table;
}();

constexpr auto kAlawDecode = [] {
  std::array<int16_t, 256> table{};
  for (int i = 0; i < 256; ++i)
    table[static_cast<size_t>(i)] = alaw_decode_arith(static_cast<uint8_t>(i));
  return table;
}();

static_assert(ulaw_from_14bit(0) == 0xFF, "G.711: µ-law of 0 is 0xFF");
static_assert(alaw_from_13bit(0) == 0xD5, "G.711: A-law of 0 is 0xD5");

}  // namespace

uint8_t linear_to_ulaw(int16_t sample) { return kUlawEncode[static_cast<uint16_t>(sample) >> 2]; }
int16_t ulaw_to_linear(uint8_t code) { return kUlawDecode[code]; }
uint8_t linear_to_alaw(int16_t sample) { return kAlawEncode[static_cast<uint16_t>(sample) >> 3]; }
int16_t alaw_to_linear(uint8_t code) { return kAlawDecode[code]; }

int encode_g711(G711Law law, std::span<const int16_t> in, std::span<uint8_t> out) {
  if (out.size() < in.size()) return error_return(ErrorCode::kInvalidArgument);
  if (law == G711Law::kMuLaw) {
    for (size_t i = 0; i < in.size(); ++i) out[i] = linear_to_ulaw(in[i]);
  } else {
    for (size_t i = 0; i < in.size(); ++i) out[i] = linear_to_alaw(in[i]);
  }
  return static_cast<int>(in.size());
}

int decode_g711(G711Law law, std::span<const uint8_t> in, std::span<int16_t> out) {
  if (out.size() < in.size()) return error_return(ErrorCode::kInvalidArgument);
  const auto& table = law == G711Law::kMuLaw ? kUlawDecode : kAlawDecode;
  for (size_t i = 0; i < in.size(); ++i) out[i] = table[in[i]];
  return static_cast<int>(in.size());
}

int G711Encoder::encode(std::span<const int16_t> pcm, std::span<uint8_t> out) {
  return encode_g711(law_, pcm, out);
}

G711Decoder::G711Decoder(G711Law law, int max_frame_ms)
    : law_(law), concealer_(kG711SampleRateHz, max_frame_ms) {}

int G711Decoder::decode(std::span<const uint8_t> payload, std::span<int16_t> pcm) {
  const int n = decode_g711(law_, payload, pcm);
  if (n > 0) concealer_.remember(pcm.first(static_cast<size_t>(n)));
  return n;
}

std::unique_ptr<Encoder> create_g711_encoder(G711Law law) {
  return std::make_unique<G711Encoder>(law);
}

std::unique_ptr<Decoder> create_g711_decoder(G711Law law, int max_frame_ms) {
  return std::make_unique<G711Decoder>(law, max_frame_ms);
}

}  // namespace tutti::codecs
