// Tick-safe: encode, decode, conceal, reset, sample_rate_hz.
// Not tick-safe: create_g722_encoder / create_g722_decoder (allocate spandsp state).
//
// G.722 at 64 kbit/s via spandsp: 16 kHz audio, but RTP/SDP clock rate 8000 (RFC 3551 quirk).
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "tutti/codecs/codec.h"
#include "tutti/codecs/status.h"

namespace tutti::codecs {

inline constexpr int kG722SampleRateHz = 16000;   // audio rate
inline constexpr int kG722RtpClockRateHz = 8000;  // what SDP and RTP timestamps say
inline constexpr int kG722PayloadType = 9;
inline constexpr int kG722BitRateBps = 64000;

// One byte per two 16 kHz samples: a 20 ms frame is 320 samples -> 160 bytes.
constexpr int g722_payload_bytes(int samples) { return samples / 2; }

// Creates a G.722 encoder (16 kHz mono int16 in). Not tick-safe.
Result<std::unique_ptr<Encoder>> create_g722_encoder();

// Creates a G.722 decoder; lost frames use FadeConcealer on the decoded PCM (repeat the last
// frame with a 60 ms fade, then silence). Not tick-safe.
Result<std::unique_ptr<Decoder>> create_g722_decoder(int max_frame_ms = 60);

}  // namespace tutti::codecs
