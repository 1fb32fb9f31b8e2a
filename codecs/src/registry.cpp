// The registry is a constant table: lookups neither allocate nor lock, so the SDP layer can
// call find() anywhere; only the factories allocate.
#include "tutti/codecs/registry.h"

#include <array>
#include <string>

#include "tutti/codecs/g711.h"
#include "tutti/codecs/g722.h"

namespace tutti::codecs {
namespace {

constexpr std::array<int, 6> kG711FrameMs = {10, 20, 30, 40, 50, 60};
constexpr std::array<int, 6> kG722FrameMs = {10, 20, 30, 40, 50, 60};
constexpr std::array<int, 5> kOpusFrameMs = {10, 20, 40, 60, 120};  // 2.5/5 ms not used here
constexpr std::array<int, 0> kNoFrames = {};

constexpr std::array<CodecInfo, 5> kCodecs = {{
    {CodecId::kOpus, "opus", 48000, 48000, 2, -1, true, kOpusFrameMs},
    {CodecId::kG722, "G722", 8000, 16000, 1, 9, true, kG722FrameMs},
    {CodecId::kPcmu, "PCMU", 8000, 8000, 1, 0, true, kG711FrameMs},
    {CodecId::kPcma, "PCMA", 8000, 8000, 1, 8, true, kG711FrameMs},
    {CodecId::kTelephoneEvent, "telephone-event", 8000, 8000, 1, -1, false, kNoFrames},
}};

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string offered_list() {
  std::string list;
  for (const CodecInfo& c : kCodecs) {
    if (!list.empty()) list += ", ";
    list += std::string(c.encoding_name) + "/" + std::to_string(c.rtp_clock_rate_hz) + "/" +
            std::to_string(c.channels);
  }
  return list;
}

Status unsupported(const CodecInfo& info, const std::string& what) {
  return {ErrorCode::kUnsupported, std::string(info.encoding_name) + ": " + what};
}

}  // namespace

std::span<const CodecInfo> registered_codecs() { return kCodecs; }

const CodecInfo* find(std::string_view encoding_name, int rtp_clock_rate_hz, int channels) {
  for (const CodecInfo& c : kCodecs) {
    if (equals_ignore_case(c.encoding_name, encoding_name) &&
        c.rtp_clock_rate_hz == rtp_clock_rate_hz && (channels == 0 || channels == c.channels)) {
      return &c;
    }
  }
  return nullptr;
}

Result<const CodecInfo*> lookup(std::string_view encoding_name, int rtp_clock_rate_hz,
                                int channels) {
  if (const CodecInfo* info = find(encoding_name, rtp_clock_rate_hz, channels)) return info;
  return Status(ErrorCode::kUnsupported, "codec " + std::string(encoding_name) + "/" +
                                             std::to_string(rtp_clock_rate_hz) + "/" +
                                             std::to_string(channels) +
                                             " is not supported; offered: " + offered_list());
}

const CodecInfo* find_by_static_payload_type(int payload_type) {
  if (payload_type < 0) return nullptr;
  for (const CodecInfo& c : kCodecs) {
    if (c.static_payload_type == payload_type) return &c;
  }
  return nullptr;
}

Result<std::unique_ptr<Encoder>> create_encoder(const CodecInfo& info,
                                                const EncoderOptions& options) {
  const int rate_hz = options.sample_rate_hz == 0 ? info.sample_rate_hz : options.sample_rate_hz;
  if (info.id != CodecId::kOpus && info.is_audio && rate_hz != info.sample_rate_hz) {
    return unsupported(info, "encodes only at " + std::to_string(info.sample_rate_hz) +
                                 " Hz, not " + std::to_string(rate_hz));
  }
  switch (info.id) {
    case CodecId::kPcmu:
      return create_g711_encoder(G711Law::kMuLaw);
    case CodecId::kPcma:
      return create_g711_encoder(G711Law::kALaw);
    case CodecId::kG722:
      return create_g722_encoder();
    case CodecId::kOpus: {
      OpusEncoderConfig config;
      config.sample_rate_hz = rate_hz;
      config.bitrate_bps = options.bitrate_bps;
      config.complexity = options.complexity;
      config.inband_fec = options.inband_fec;
      config.expected_loss_pct = options.expected_loss_pct;
      config.dtx = options.dtx;
      auto encoder = create_opus_encoder(config);
      if (!encoder.ok()) return encoder.status();
      return std::unique_ptr<Encoder>(std::move(encoder).value());
    }
    case CodecId::kTelephoneEvent:
      break;
  }
  return unsupported(info, "is not an audio codec; there is no encoder");
}

Result<std::unique_ptr<Decoder>> create_decoder(const CodecInfo& info, int sample_rate_hz,
                                                int max_frame_ms) {
  const int rate_hz = sample_rate_hz == 0 ? info.sample_rate_hz : sample_rate_hz;
  if (info.id != CodecId::kOpus && info.is_audio && rate_hz != info.sample_rate_hz) {
    return unsupported(info, "decodes only at " + std::to_string(info.sample_rate_hz) +
                                 " Hz, not " + std::to_string(rate_hz));
  }
  if (max_frame_ms <= 0) return Status(ErrorCode::kInvalidArgument, "max_frame_ms must be > 0");
  switch (info.id) {
    case CodecId::kPcmu:
      return create_g711_decoder(G711Law::kMuLaw, max_frame_ms);
    case CodecId::kPcma:
      return create_g711_decoder(G711Law::kALaw, max_frame_ms);
    case CodecId::kG722:
      return create_g722_decoder(max_frame_ms);
    case CodecId::kOpus: {
      auto decoder = create_opus_decoder(rate_hz);
      if (!decoder.ok()) return decoder.status();
      return std::unique_ptr<Decoder>(std::move(decoder).value());
    }
    case CodecId::kTelephoneEvent:
      break;
  }
  return unsupported(info, "is not an audio codec; there is no decoder");
}

}  // namespace tutti::codecs
