// Tick-safe: every function and method here (table look-ups, FadeConcealer PLC).
// Not tick-safe: create_g711_encoder / create_g711_decoder (allocate).
//
// G.711 µ-law (PCMU, RTP payload type 0) and A-law (PCMA, payload type 8), 8 kHz, table-driven.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "tutti/codecs/codec.h"
#include "tutti/codecs/fade_concealer.h"

namespace tutti::codecs {

enum class G711Law { kMuLaw, kALaw };

inline constexpr int kG711SampleRateHz = 8000;
inline constexpr int kPcmuPayloadType = 0;
inline constexpr int kPcmaPayloadType = 8;

// Single-sample conversions (ITU-T G.711; µ-law uses the top 14 bits, A-law the top 13).
uint8_t linear_to_ulaw(int16_t sample);
int16_t ulaw_to_linear(uint8_t code);
uint8_t linear_to_alaw(int16_t sample);
int16_t alaw_to_linear(uint8_t code);

// Block conversions; `out` must be at least as long as `in`. Return the count converted.
int encode_g711(G711Law law, std::span<const int16_t> in, std::span<uint8_t> out);
int decode_g711(G711Law law, std::span<const uint8_t> in, std::span<int16_t> out);

class G711Encoder final : public Encoder {
 public:
  explicit G711Encoder(G711Law law) : law_(law) {}
  int encode(std::span<const int16_t> pcm, std::span<uint8_t> out) override;
  int sample_rate_hz() const override { return kG711SampleRateHz; }
  void reset() override {}
  // G.711 is stateless: any stream can be continued.
  bool copy_state_from(const Encoder& other) override {
    const auto* g = dynamic_cast<const G711Encoder*>(&other);
    return g != nullptr && g->law_ == law_;
  }
  G711Law law() const { return law_; }

 private:
  G711Law law_;
};

// Lost frames are concealed by FadeConcealer (repeat last frame with a 60 ms fade, then silence).
class G711Decoder final : public Decoder {
 public:
  G711Decoder(G711Law law, int max_frame_ms);
  int decode(std::span<const uint8_t> payload, std::span<int16_t> pcm) override;
  int conceal(std::span<int16_t> pcm) override { return concealer_.conceal(pcm); }
  int sample_rate_hz() const override { return kG711SampleRateHz; }
  void reset() override { concealer_.reset(); }
  G711Law law() const { return law_; }

 private:
  G711Law law_;
  FadeConcealer concealer_;
};

// Not tick-safe (allocate).
std::unique_ptr<Encoder> create_g711_encoder(G711Law law);
std::unique_ptr<Decoder> create_g711_decoder(G711Law law, int max_frame_ms = 60);

}  // namespace tutti::codecs
