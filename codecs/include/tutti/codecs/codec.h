// Tick-safe: encode, decode, conceal, decode_fec, reset and the accessors (no allocation/locks).
// Not tick-safe: creating or destroying a wrapper (the create_* factories).
//
// Encoder / Decoder: the common interface every codec wrapper implements.
#pragma once

#include <cstdint>
#include <span>

namespace tutti::codecs {

// Encodes mono int16 PCM at sample_rate_hz() into one RTP payload.
class Encoder {
 public:
  virtual ~Encoder() = default;

  // Encodes one frame (pcm.size() samples). Returns bytes written to `out`, or a negative
  // error_return(ErrorCode). Tick-safe.
  virtual int encode(std::span<const int16_t> pcm, std::span<uint8_t> out) = 0;

  // Rate of the PCM this encoder expects (not the RTP clock rate: G.722 is 16000 here).
  virtual int sample_rate_hz() const = 0;

  // Forgets history, as at a new call. Tick-safe.
  virtual void reset() = 0;

  // Continues from `other`'s history, as if this encoder had produced other's stream so far:
  // a receiver that was decoding other's payloads can switch to this encoder's without a
  // glitch. False when the codec cannot (or `other` is a different kind/setting). Tick-safe.
  virtual bool copy_state_from(const Encoder& other) {
    static_cast<void>(other);
    return false;
  }
};

// Decodes RTP payloads into mono int16 PCM at sample_rate_hz().
class Decoder {
 public:
  virtual ~Decoder() = default;

  // Decodes one payload into `pcm`. Returns samples written, or a negative
  // error_return(ErrorCode) when the payload is undecodable or `pcm` too small. Tick-safe.
  virtual int decode(std::span<const uint8_t> payload, std::span<int16_t> pcm) = 0;

  // Fills `pcm` (one lost frame) with concealment (PLC). Returns samples written. Tick-safe.
  virtual int conceal(std::span<int16_t> pcm) = 0;

  // Recovers the *previous*, lost frame from `next_payload` (the packet after the gap) when the
  // codec carries in-band FEC; `pcm.size()` must be the lost frame's length. Codecs without FEC
  // conceal instead. Returns samples written or a negative error. Tick-safe.
  virtual int decode_fec(std::span<const uint8_t> next_payload, std::span<int16_t> pcm) {
    static_cast<void>(next_payload);
    return conceal(pcm);
  }
  virtual bool has_fec() const { return false; }

  virtual int sample_rate_hz() const = 0;

  // Forgets history, as at a new call. Tick-safe.
  virtual void reset() = 0;
};

}  // namespace tutti::codecs
