// Tick-safe: find, find_by_static_payload_type, registered_codecs (constant table).
// Not tick-safe: lookup (builds an error message), create_encoder, create_decoder (allocate).
//
// Codec registry: what tutti offers in SDP and how to build an encoder/decoder for it.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "tutti/codecs/codec.h"
#include "tutti/codecs/opus.h"
#include "tutti/codecs/status.h"

namespace tutti::codecs {

enum class CodecId { kPcmu, kPcma, kG722, kOpus, kTelephoneEvent };

struct CodecInfo {
  CodecId id;
  std::string_view encoding_name;  // as written in SDP a=rtpmap
  int rtp_clock_rate_hz;           // RTP timestamp rate / SDP clock rate
  int sample_rate_hz;              // rate of the PCM the wrapper encodes/decodes
  int channels;                    // SDP channel count (opus: always 2; we still decode mono)
  int static_payload_type;         // RFC 3551 static type, or -1 for dynamic
  bool is_audio;                   // false for telephone-event (RFC 4733): no encoder/decoder
  std::span<const int> frame_ms;   // frame durations we can encode/decode
};

// Every registered format, in preference order for an SDP offer.
std::span<const CodecInfo> registered_codecs();

// Case-insensitive match on encoding name, exact on clock rate. channels 0 means "any";
// otherwise it must equal the registered count (SDP omits channels for 1). nullptr if unknown.
const CodecInfo* find(std::string_view encoding_name, int rtp_clock_rate_hz, int channels = 0);

// As find(), but an unknown format gives kUnsupported with a message saying what is offered.
Result<const CodecInfo*> lookup(std::string_view encoding_name, int rtp_clock_rate_hz,
                                int channels = 0);

// Finds a codec by its static payload type (0, 8, 9); nullptr for dynamic or unknown types.
const CodecInfo* find_by_static_payload_type(int payload_type);

struct EncoderOptions {
  int sample_rate_hz = 0;   // 0: the codec's sample_rate_hz; Opus also takes 8/12/16/24 kHz
  int bitrate_bps = 32000;  // Opus only; G.711/G.722 have fixed rates
  int complexity = 5;
  bool inband_fec = false;
  int expected_loss_pct = 0;
  bool dtx = false;
};

Result<std::unique_ptr<Encoder>> create_encoder(const CodecInfo& info,
                                                const EncoderOptions& options = {});

// sample_rate_hz 0: the codec's sample_rate_hz (Opus may decode at 8/12/16/24 kHz instead).
// max_frame_ms bounds the concealment history of G.711/G.722.
Result<std::unique_ptr<Decoder>> create_decoder(const CodecInfo& info, int sample_rate_hz = 0,
                                                int max_frame_ms = 60);

}  // namespace tutti::codecs
